package replica;

import java.awt.*;
import java.awt.event.*;
import java.util.ArrayList;
import java.util.List;
import javax.swing.*;

/** The dark gateway dialog (measured on reference paper_warning_accept): 2-px #333 border, 1-px #555 inset,
 *  30-px #444 title bar with the 11-px title and a small down-triangle at the right, a black line, a #555 body,
 *  a #6f6f6f separator and a 40-px button strip with buttons centred. Undecorated: there is no window manager. */
public class DarkDialog extends JDialog {
    public static final int TITLE_H = 30;
    public static final int BUTTON_STRIP_H = 40;

    protected final Gateway gw;
    protected final String screenId;
    private final JPanel body = new JPanel(new BorderLayout());
    private final JPanel buttons = new JPanel(new FlowLayout(FlowLayout.CENTER, 8, 8));
    private final TitleStrip titleStrip;
    private final List<JButton> buttonList = new ArrayList<>();
    private boolean closed;

    public DarkDialog(Window owner, String title, String screenId) {
        super(owner, title, ModalityType.MODELESS);
        this.gw = Gateway.get();
        this.screenId = screenId;
        setUndecorated(true);
        Theme.screen(this, screenId);
        JPanel root = new JPanel(new BorderLayout()) {
            @Override protected void paintBorder(Graphics g) {
                g.setColor(Theme.DIALOG_BORDER_OUTER);
                g.drawRect(0, 0, getWidth() - 1, getHeight() - 1);
                g.drawRect(1, 1, getWidth() - 3, getHeight() - 3);
                g.setColor(Theme.DIALOG_BODY);
                g.drawRect(2, 2, getWidth() - 5, getHeight() - 5);
            }
        };
        root.setBorder(BorderFactory.createEmptyBorder(3, 3, 2, 3));
        root.setBackground(Theme.DIALOG_BODY);
        titleStrip = new TitleStrip(title);
        root.add(titleStrip, BorderLayout.NORTH);
        body.setOpaque(true);
        body.setBackground(Theme.DIALOG_BODY);
        root.add(body, BorderLayout.CENTER);
        buttons.setOpaque(true);
        buttons.setBackground(Theme.DIALOG_BODY);
        // right inset 2: the real strip centres its buttons 1 px left of the middle
        buttons.setBorder(BorderFactory.createCompoundBorder(
                BorderFactory.createMatteBorder(1, 0, 0, 0, Theme.DIALOG_SEPARATOR),
                BorderFactory.createEmptyBorder(0, 0, 0, 2)));
        buttons.setPreferredSize(new Dimension(100, BUTTON_STRIP_H));
        root.add(buttons, BorderLayout.SOUTH);
        setContentPane(root);
        // Escape does what the last (cancel-like) button does, as the real dialogs do.
        getRootPane().registerKeyboardAction(e -> {
            if (!buttonList.isEmpty()) buttonList.get(buttonList.size() - 1).doClick();
        }, KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), JComponent.WHEN_IN_FOCUSED_WINDOW);
    }

    public void setDialogTitle(String t) {
        setTitle(t);
        titleStrip.title = t;
        titleStrip.repaint();
    }

    public JButton addButton(String text, String role, Runnable onClick) {
        DarkButton b = new DarkButton(text);
        Theme.role(b, role);
        b.addActionListener(e -> {
            gw.events.event("click", "role", role, "screen", screenId);
            if (onClick != null) onClick.run();
        });
        buttons.add(b);
        buttonList.add(b);
        if (buttonList.size() == 1) getRootPane().setDefaultButton(b);
        return b;
    }

    public void setButtonStripVisible(boolean v) { buttons.setVisible(v); }

    public void setBody(JComponent c) {
        body.removeAll();
        body.add(c, BorderLayout.CENTER);
        body.revalidate();
    }

    /** 13-px white AA-off lines (the Warning dialog's text) beside an optional icon. */
    public static JComponent messageBody(String... lines) { return messageBody(null, lines); }

    public static JComponent messageBody(Icon icon, String... lines) {
        JPanel p = new JPanel(new GridBagLayout());
        p.setOpaque(true);
        p.setBackground(Theme.DIALOG_BODY);
        GridBagConstraints c = new GridBagConstraints();
        if (icon != null) {
            JLabel il = new JLabel(icon);
            c.gridx = 0;
            c.insets = new Insets(0, 0, 0, 22);
            p.add(il, c);
        }
        JPanel text = new JPanel();
        text.setOpaque(false);
        text.setLayout(new BoxLayout(text, BoxLayout.Y_AXIS));
        for (String s : lines) {
            if (s.isEmpty()) {
                text.add(Box.createVerticalStrut(19));
                continue;
            }
            JLabel l = new JLabel(s);
            l.setFont(Theme.font(13));
            l.setForeground(Color.WHITE);
            l.setBorder(BorderFactory.createEmptyBorder(0, 0, 2, 0));
            text.add(l);
        }
        c.gridx = 1;
        c.insets = new Insets(0, 0, 0, 0);
        p.add(text, c);
        return p;
    }

    public void showCentredOn(Window w) {
        if (getWidth() == 0 || getHeight() == 0) pack();
        Theme.centreOn(this, w);
        gw.register(this);
        setVisible(true);
        toFront();
        gw.grabFocus(this, buttonList.isEmpty() ? null : buttonList.get(0));
        gw.events.event("window_shown", "screen", screenId, "title", getTitle());
    }

    public void close() {
        if (closed) return;
        closed = true;
        setVisible(false);
        dispose();
        // no window manager: hand the focus back to the owner ourselves
        Window o = getOwner();
        if (o != null && o.isShowing()) {
            gw.register(o);
            o.toFront();
            gw.grabFocus(o, o.getMostRecentFocusOwner());
        }
        gw.events.event("window_closed", "screen", screenId, "title", getTitle());
    }

    public boolean isClosed() { return closed; }

    /** The 30-px title strip: title at x=18 (11 px, white, AA off), black line below, grey down-triangle. */
    private static final class TitleStrip extends JComponent {
        String title;

        TitleStrip(String t) {
            title = t;
            setPreferredSize(new Dimension(100, TITLE_H + 1));
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            boolean drift = Gateway.get() != null && Gateway.get().drift;
            g.setColor(drift ? new Color(60, 62, 68) : Theme.DIALOG_TITLE_BG);
            g.fillRect(0, 0, getWidth(), TITLE_H);
            g.setColor(Color.BLACK);
            g.drawLine(0, TITLE_H, getWidth() - 1, TITLE_H);
            g.setFont(Theme.font(11));
            Theme.drawText(g, title == null ? "" : title, 18, 19, Color.WHITE, Theme.Aa.OFF);
            // the small down-triangle 15 px from the right edge
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(128, 128, 128));
            int cx = getWidth() - 12;
            g.fillPolygon(new int[] {cx - 4, cx + 4, cx}, new int[] {14, 14, 18}, 3);
            g.dispose();
        }
    }

    /** The dark dialog button: #373737 fill with a faint top gradient, white 11-px LCD text, a 3-px blue focus
     *  ring (bright #0797f0 centre line) when focused. Its box includes the ring area. */
    public static class DarkButton extends JButton {
        public DarkButton(String text) {
            super(text);
            Theme.customPainted(this, 11);
            FontMetrics fm = getFontMetrics(getFont());
            setPreferredSize(new Dimension(Math.max(75, fm.stringWidth(text) + 37), 27));
            addFocusListener(new FocusAdapter() {
                @Override public void focusGained(FocusEvent e) { repaint(); }
                @Override public void focusLost(FocusEvent e) { repaint(); }
            });
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            int w = getWidth(), h = getHeight();
            g.setColor(getModel().isPressed() ? new Color(40, 40, 40) : Theme.DIALOG_BUTTON);
            g.fillRect(3, 3, w - 6, h - 6);
            g.setColor(new Color(60, 60, 60));
            g.drawLine(3, 3, w - 4, 3);
            g.setColor(new Color(58, 58, 58));
            g.drawLine(3, 4, w - 4, 4);
            if (isFocusOwner()) {
                g.setColor(new Color(46, 118, 163));
                g.drawRoundRect(0, 0, w - 1, h - 1, 4, 4);
                g.setColor(new Color(7, 151, 240));
                g.drawRoundRect(1, 1, w - 3, h - 3, 3, 3);
                g.setColor(new Color(31, 106, 153));
                g.drawRect(2, 2, w - 5, h - 5);
            } else {
                g.setColor(new Color(70, 70, 70));
                g.drawRect(2, 2, w - 5, h - 5);
            }
            g.setFont(getFont());
            Color fg = isEnabled() ? Color.WHITE : new Color(140, 140, 140);
            FontMetrics fm = g.getFontMetrics();
            int tx = (w - fm.stringWidth(getText())) / 2 + 1;
            int ty = h == 27 ? 17 : (h - fm.getHeight()) / 2 + fm.getAscent();   // 17: measured for 27-px buttons
            Theme.drawText(g, getText(), tx, ty, fg, Theme.Aa.LCD);
            g.dispose();
        }
    }
}
