package replica;

import java.awt.*;
import java.awt.event.*;
import javax.swing.*;

/** Fonts, colours and text painting of the dark IB Gateway look, per notes/FONTS.md: DejaVu Sans named
 *  explicitly (never the logical Dialog font), three antialiasing modes. */
public final class Theme {
    private Theme() {}

    public enum Aa { OFF, LCD, GRAY }

    public static final String FAMILY = "DejaVu Sans";

    /** Set up a button that paints itself entirely (the gateway's toggles, links, pills and dialog buttons):
     *  the given font size, and none of Swing's own fill, border, focus ring or rollover. */
    public static <B extends AbstractButton> B customPainted(B b, int px) {
        b.setFont(font(px));
        b.setOpaque(false);
        b.setContentAreaFilled(false);
        b.setBorderPainted(false);
        b.setFocusPainted(false);
        b.setRolloverEnabled(false);
        return b;
    }

    // Colours measured on the reference screenshots.
    public static final Color TITLE_BG = new Color(17, 17, 17);
    public static final Color TITLE_FG = Color.WHITE;
    public static final Color FRAME_BORDER = new Color(128, 128, 128);
    public static final Color DIALOG_TITLE_BG = new Color(68, 68, 68);
    public static final Color DIALOG_BODY = new Color(85, 85, 85);
    public static final Color DIALOG_BUTTON = new Color(55, 55, 55);
    public static final Color DIALOG_BORDER = new Color(34, 34, 34);
    public static final Color DIALOG_BORDER_OUTER = new Color(51, 51, 51);
    public static final Color DIALOG_SEPARATOR = new Color(111, 111, 111);
    public static final Color FOCUS_BLUE = new Color(58, 138, 216);
    public static final Color PLACEHOLDER = new Color(172, 172, 172);
    public static final Color LINK_GREY = new Color(102, 102, 102);
    public static final Color TOGGLE_OFF_TEXT = new Color(186, 186, 186);
    public static final Color LIVE_BUTTON = new Color(11, 74, 124);
    public static final Color PAPER_BUTTON = new Color(141, 20, 44);
    public static final Color LINK_BLUE = new Color(70, 140, 220);

    private static final java.util.Map<String, Font> cache = new java.util.HashMap<>();

    /** Font size offset for the drift look (a newer build renders a pixel larger). */
    public static int sizeDelta = 0;

    public static synchronized Font font(int px) { return make(Font.PLAIN, px + sizeDelta); }

    public static synchronized Font bold(int px) { return make(Font.BOLD, px + sizeDelta); }

    /** The exact size, ignoring the drift offset (for text that must stay put). */
    public static synchronized Font fontExact(int px) { return make(Font.PLAIN, px); }

    private static Font make(int style, int px) {
        String k = style + ":" + px;
        Font f = cache.get(k);
        if (f == null) {
            f = new Font(FAMILY, style, px);
            if (!FAMILY.equals(f.getFamily())) {
                System.err.println("replica: font " + FAMILY + " missing (got " + f.getFamily() + "); install fonts-dejavu-core");
            }
            cache.put(k, f);
        }
        return f;
    }

    /** Draws s with its baseline at y in one of the three measured antialiasing modes. GRAY means: the LCD hint
     *  with a translucent colour, which Java renders as grayscale AA (the disabled login button). */
    public static void drawText(Graphics2D g, String s, int x, int baselineY, Color c, Aa mode) {
        Object old = g.getRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING);
        switch (mode) {
            case OFF:
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_OFF);
                break;
            case LCD:
            case GRAY:
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_LCD_HRGB);
                break;
        }
        g.setColor(c);
        g.drawString(s, x, baselineY);
        if (old != null) g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, old);
    }

    /** Draws s horizontally centred in [x, x+w) with the baseline vertically centred for [y, y+h). */
    public static void drawCentred(Graphics2D g, String s, int x, int y, int w, int h, Color c, Aa mode) {
        FontMetrics fm = g.getFontMetrics();
        int tx = x + (w - fm.stringWidth(s)) / 2;
        int ty = y + (h - fm.getHeight()) / 2 + fm.getAscent();
        drawText(g, s, tx, ty, c, mode);
    }

    public static <T extends JComponent> T role(T c, String role) {
        c.putClientProperty("ibga.role", role);
        return c;
    }

    public static String roleOf(JComponent c) {
        Object o = c.getClientProperty("ibga.role");
        return o == null ? null : o.toString();
    }

    public static void screen(RootPaneContainer w, String id) {
        w.getRootPane().putClientProperty("ibga.screen", id);
    }

    /** State reported in the tree for a window ("state" object); stored on the root pane. */
    public static void state(RootPaneContainer w, String key, Object value) {
        @SuppressWarnings("unchecked")
        java.util.Map<String, Object> m = (java.util.Map<String, Object>) w.getRootPane().getClientProperty("ibga.state");
        if (m == null) {
            m = new java.util.LinkedHashMap<>();
            w.getRootPane().putClientProperty("ibga.state", m);
        }
        m.put(key, value);
    }

    /** Plain AA-off label in the given font size and colour. */
    public static JLabel label(String text, int px, Color c) {
        JLabel l = new JLabel(text);
        l.setFont(font(px));
        l.setForeground(c);
        return l;
    }

    /** The gateway's own title bar for an undecorated frame: title at 11 px white on #111111, minimise, maximise
     *  and close glyphs at the right; dragging it moves the window (there is no window manager). */
    public static class TitleBar extends JComponent {
        private String title;
        private final Window win;
        private final boolean maximise;
        private Image logo;
        private Point drag;
        public Runnable onClose;
        public Runnable onMinimise;
        /** Dialog title bars show only the close cross. */
        public boolean closeOnly;

        public TitleBar(Window win, String title, boolean maximise) {
            this.win = win;
            this.title = title;
            this.maximise = maximise;
            setOpaque(true);
            setPreferredSize(new Dimension(100, 20));
            // reported in the tree as kind "title_bar" with the title as text
            putClientProperty("ibga.kind", "title_bar");
            putClientProperty("ibga.text", title);
            MouseAdapter ma = new MouseAdapter() {
                @Override public void mousePressed(MouseEvent e) {
                    int b = buttonAt(e.getX());
                    if (b == 0 && onClose != null) onClose.run();
                    else if (b == 2 && onMinimise != null) onMinimise.run();
                    else if (b < 0) drag = e.getPoint();
                }
                @Override public void mouseReleased(MouseEvent e) { drag = null; }
                @Override public void mouseDragged(MouseEvent e) {
                    if (drag != null) {
                        Point p = win.getLocation();
                        win.setLocation(p.x + e.getX() - drag.x, p.y + e.getY() - drag.y);
                    }
                }
            };
            addMouseListener(ma);
            addMouseMotionListener(ma);
        }

        public void setTitle(String t) {
            title = t;
            putClientProperty("ibga.text", t);
            repaint();
        }
        public String getTitle() { return title; }
        public void setLogo(Image img) { logo = img; repaint(); }


        @Override protected void paintComponent(Graphics g0) {
            // Measured on the login reference: 20-px bar, title at x=8 with baseline 14 (11 px, AA off), a 12-px
            // minimise bar and an antialiased 11-px close cross in grey at the right.
            Graphics2D g = (Graphics2D) g0.create();
            g.setColor(TITLE_BG);
            g.fillRect(0, 0, getWidth(), getHeight());
            int x = 8;
            if (logo != null) {
                g.drawImage(logo, 2, (getHeight() - logo.getHeight(null)) / 2, null);
                x = 4 + logo.getWidth(null) + 6;
            }
            g.setFont(fontExact(11));
            drawText(g, title, x, 14, TITLE_FG, Aa.OFF);
            int w = getWidth();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
            g.setColor(new Color(128, 128, 128));
            g.draw(new java.awt.geom.Line2D.Double(w - 17.5, 4.5, w - 8.5, 14.5));
            g.draw(new java.awt.geom.Line2D.Double(w - 17.5, 14.5, w - 8.5, 4.5));
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            int mx = w - 41;
            if (maximise) {
                g.setColor(new Color(117, 117, 117));
                g.drawRect(w - 40, 5, 10, 9);
                mx = w - 62;
            }
            if (!closeOnly) {
                g.setColor(new Color(117, 117, 117));
                g.fillRect(mx, 14, 12, 1);
                g.setColor(new Color(55, 55, 55));
                g.fillRect(mx, 15, 12, 1);
            }
            g.dispose();
        }

        /** 0 close, 1 maximise, 2 minimise, -1 none. */
        int buttonAt(int x) {
            int r = getWidth() - x;
            if (r >= 4 && r <= 21) return 0;
            if (closeOnly) return -1;
            if (maximise && r > 21 && r <= 44) return 1;
            if (!maximise && r > 21 && r <= 44) return 2;
            if (maximise && r > 44 && r <= 66) return 2;
            return -1;
        }
    }

    /** Centre a window on the 1024x768 (or whatever) screen, or put it at the scenario's window_position. */
    public static void place(Window w, int[] pos) {
        if (pos != null) {
            w.setLocation(pos[0], pos[1]);
            return;
        }
        Dimension s = Toolkit.getDefaultToolkit().getScreenSize();
        w.setLocation((s.width - w.getWidth()) / 2, (s.height - w.getHeight()) / 2);
    }

    /** Position w centred on owner (dialogs have no window manager to do it). */
    public static void centreOn(Window w, Window owner) {
        if (owner == null || !owner.isShowing()) {
            place(w, null);
            return;
        }
        Point p = owner.getLocationOnScreen();
        w.setLocation(p.x + (owner.getWidth() - w.getWidth()) / 2, p.y + (owner.getHeight() - w.getHeight()) / 2);
    }
}
