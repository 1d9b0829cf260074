package replica;

import java.awt.*;
import java.awt.event.*;
import java.awt.geom.*;
import java.nio.ByteBuffer;
import java.util.List;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import javax.swing.*;

/** The "Second Factor Authentication" dialogs (CATALOG §2.6-2.8): push (IB Key notification), device choice
 *  (list + OK), TOTP code entry. Dark look from the 2FA reference (body #101018, title bar #101010, grey text,
 *  blue links, Cancel with a blue focus ring); sizes at 1x are estimates from that HiDPI capture. */
public final class SecondFactorDialogs {
    private SecondFactorDialogs() {}

    static final Color BODY = new Color(16, 16, 24);
    static final Color GREY_TEXT = new Color(159, 159, 160);
    static final Color LINK = new Color(74, 144, 226);

    /** Common frame of the three dialogs: undecorated, title bar with a close cross, dark body, null layout. */
    public abstract static class Base extends JDialog {
        protected final Gateway gw;
        protected final String screen;
        protected final JPanel body = new JPanel(null);
        private boolean closed;
        protected Runnable onCancel;
        protected Component focusFirst;

        Base(Window owner, String screen, int w, int h) {
            super(owner, "Second Factor Authentication", ModalityType.MODELESS);
            gw = Gateway.get();
            this.screen = screen;
            setUndecorated(true);
            Theme.screen(this, screen);
            JPanel root = new JPanel(null);
            root.setBackground(new Color(128, 128, 128));
            Theme.TitleBar bar = new Theme.TitleBar(this, getTitle(), false);
            bar.closeOnly = true;
            bar.onClose = () -> cancel();
            bar.setBounds(1, 1, w - 2, 20);
            root.add(bar);
            body.setBackground(BODY);
            body.setBounds(1, 21, w - 2, h - 22);
            root.add(body);
            setContentPane(root);
            setSize(w, h);
            getRootPane().registerKeyboardAction(e -> cancel(), KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0),
                    JComponent.WHEN_IN_FOCUSED_WINDOW);
        }

        void cancel() {
            gw.events.event("click", "role", "cancel_button", "screen", screen);
            close();
            if (onCancel != null) onCancel.run();
        }

        public void open(Window over) {
            Theme.centreOn(this, over);
            gw.register(this);
            setVisible(true);
            toFront();
            gw.grabFocus(this, focusFirst);
            gw.events.event("window_shown", "screen", screen, "title", getTitle());
        }

        public void close() {
            if (closed) return;
            closed = true;
            setVisible(false);
            dispose();
            gw.events.event("window_closed", "screen", screen, "title", getTitle());
        }

        public boolean isClosed() { return closed; }

        JLabel text(String s, int px, Color c, int x, int y, int w, boolean centre) {
            JLabel l = new JLabel(s);
            l.setFont(Theme.font(px));
            l.setForeground(c);
            if (centre) l.setHorizontalAlignment(SwingConstants.CENTER);
            int h = l.getPreferredSize().height;
            l.setBounds(x, y, w < 0 ? l.getPreferredSize().width : w, h);
            body.add(l);
            return l;
        }

        DarkDialog.DarkButton button(String label, String role, int cx, int y, Runnable r) {
            DarkDialog.DarkButton b = new DarkDialog.DarkButton(label);
            Theme.role(b, role);
            Dimension d = b.getPreferredSize();
            int w = Math.max(d.width, 90);
            b.setBounds(cx - w / 2, y, w, 29);
            b.addActionListener(e -> {
                gw.events.event("click", "role", role, "screen", screen);
                r.run();
            });
            body.add(b);
            return b;
        }
    }

    /** A hyperlink-like text (blue, underlined, 13 px); clicking runs the action. Reported as kind "link". */
    static final class Link extends JButton {
        Link(String text) {
            super(text);
            putClientProperty("ibga.kind", "link");
            Theme.customPainted(this, 16);
            setForeground(LINK);
            setCursor(Cursor.getPredefinedCursor(Cursor.HAND_CURSOR));
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            g.setFont(getFont());
            FontMetrics fm = g.getFontMetrics();
            int w = fm.stringWidth(getText());
            int x = (getWidth() - w) / 2;
            int base = (getHeight() - fm.getHeight()) / 2 + fm.getAscent();
            Theme.drawText(g, getText(), x, base, getForeground(), Theme.Aa.LCD);
            g.setColor(getForeground());
            g.drawLine(x, base + 2, x + w, base + 2);
            g.dispose();
        }
    }

    /** A 13-px circled question mark (our drawing). */
    static final class HelpIcon implements Icon {
        public int getIconWidth() { return 13; }
        public int getIconHeight() { return 13; }

        public void paintIcon(Component c, Graphics g0, int x, int y) {
            Graphics2D g = (Graphics2D) g0.create();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.draw(new Ellipse2D.Double(x + 0.5, y + 0.5, 12, 12));
            g.setFont(Theme.font(10));
            g.drawString("?", x + 4, y + 10);
            g.dispose();
        }
    }

    /** Screen "second_factor_push". */
    public static final class Push extends Base {
        private Timer approve, timeout;

        public Push(Window owner, Runnable onApproved, Runnable onTimeout, Runnable onChangeDevice, Runnable onCancel) {
            // 700x560, about the main window's size: positions scaled from the HiDPI capture (factor ~1.9)
            super(owner, "second_factor_push", 700, 560);
            this.onCancel = () -> { stopTimers(); onCancel.run(); };
            int w = 698;
            boolean drift = gw.drift;
            JLabel help = text("Help", 17, Color.WHITE, 615, 11, -1, false);
            help.setIcon(new HelpIcon());
            help.setIconTextGap(5);
            help.setSize(help.getPreferredSize());
            Theme.role(help, "help");
            JComponent phone = new JComponent() {
                @Override protected void paintComponent(Graphics g0) { paintPhone((Graphics2D) g0, getWidth(), getHeight()); }
            };
            phone.setBounds(224, 51, 250, 134);
            body.add(phone);
            text(drift ? "Check the IBKR notification on your phone" : "Open the IBKR notification on your phone",
                    20, Color.WHITE, 0, 241 + (drift ? 8 : 0), w, true);
            text("IBKR sent you a notification to your phone. Tap the IBKR", 16, GREY_TEXT, 118, 281, -1, false);
            text("notification to complete two-factor authentication", 16, GREY_TEXT, 118, 301, -1, false);
            Link didnt = new Link("Didn't receive notification");
            Theme.role(didnt, "didnt_receive_notification");
            didnt.setBounds((w - 230) / 2, 366, 230, 24);
            didnt.addActionListener(e -> gw.events.event("click", "role", "didnt_receive_notification", "screen", screen));
            body.add(didnt);
            Link change = new Link("Change security device");
            Theme.role(change, "change_security_device");
            change.setBounds((w - 200) / 2, 391, 200, 24);
            change.addActionListener(e -> {
                gw.events.event("click", "role", "change_security_device", "screen", screen);
                stopTimers();
                close();
                onChangeDevice.run();
            });
            body.add(change);
            JButton cancel = button("Cancel", "cancel_button", w / 2, 459, this::cancel);
            cancel.setFont(Theme.font(16));
            cancel.setBounds(w / 2 - 52, 459, 104, 37);
            getRootPane().setDefaultButton(cancel);
            Double after = gw.scenario.pushApproveAfterS;
            if (after != null) {
                approve = new Timer((int) gw.clock.realMillis(after), e -> {
                    stopTimers();
                    close();
                    onApproved.run();
                });
                approve.setRepeats(false);
                approve.start();
            }
            timeout = new Timer((int) gw.clock.realMillis(180), e -> {
                stopTimers();
                close();
                onTimeout.run();
            });
            timeout.setRepeats(false);
            timeout.start();
            focusFirst = cancel;
        }

        void stopTimers() {
            if (approve != null) approve.stop();
            if (timeout != null) timeout.stop();
        }

        /** Our own drawing of a phone showing a login notification. */
        static void paintPhone(Graphics2D g, int w, int h) {
            g = (Graphics2D) g.create();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(40, 40, 44));
            g.fill(new RoundRectangle2D.Double(0, 0, w, h + 30, 30, 30));
            g.setPaint(new GradientPaint(0, 0, new Color(70, 90, 110), 0, h, new Color(120, 150, 170)));
            g.fill(new RoundRectangle2D.Double(6, 6, w - 12, h + 20, 24, 24));
            g.setColor(Color.BLACK);
            g.fill(new RoundRectangle2D.Double(w / 2.0 - 40, 4, 80, 14, 10, 10));
            g.setColor(new Color(235, 238, 242, 230));
            g.fill(new RoundRectangle2D.Double(16, 34, w - 32, 52, 10, 10));
            g.setColor(new Color(210, 30, 40));
            g.fill(new Ellipse2D.Double(22, 40, 10, 10));
            g.setFont(Theme.font(9));
            g.setColor(new Color(60, 60, 60));
            g.drawString("IBKR", 38, 49);
            g.drawString("now", w - 42, 49);
            g.setFont(Theme.bold(10));
            g.setColor(Color.BLACK);
            g.drawString("Login", 22, 63);
            g.setFont(Theme.font(9));
            g.drawString("Tap message to complete", 22, 75);
            g.dispose();
        }
    }

    /** Screen "second_factor_device_choice": "Select second factor device", a list whose rows start with a
     *  space (" IB Key"), OK and Cancel. The list answers Up/Down and Return (= OK). */
    public static final class DeviceChoice extends Base {
        public final JList<String> list;

        public DeviceChoice(Window owner, List<String> devices, java.util.function.Consumer<String> onOk, Runnable onCancel) {
            super(owner, "second_factor_device_choice", 420, 130 + Math.min(5, devices.size()) * 24 + 4);
            this.onCancel = onCancel;
            int w = 418;
            JTextArea head = new JTextArea("Select second factor device");
            head.setEditable(false);
            head.setFocusable(false);
            head.setOpaque(false);
            head.setFont(Theme.font(16));
            head.setForeground(Color.WHITE);
            head.setBounds(30, 24, w - 60, 24);
            Theme.role(head, "prompt");
            body.add(head);
            // the model holds the device names; the rows are drawn with the real list's leading space (" IB Key")
            String[] rows = new String[devices.size()];
            for (int i = 0; i < rows.length; i++) rows[i] = devices.get(i).trim();
            list = new JList<>(rows);
            list.setCellRenderer(new DefaultListCellRenderer() {
                @Override public Component getListCellRendererComponent(JList<?> l, Object v, int i, boolean sel, boolean f) {
                    return super.getListCellRendererComponent(l, " " + v, i, sel, f);
                }
            });
            list.setFont(Theme.font(13));
            list.setBackground(new Color(40, 40, 48));
            list.setForeground(Color.WHITE);
            list.setSelectionBackground(new Color(58, 138, 216));
            list.setSelectionForeground(Color.WHITE);
            list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
            list.setFixedCellHeight(24);
            list.setSelectedIndex(0);
            Theme.role(list, "device_list");
            JScrollPane sp = new JScrollPane(list);
            sp.setBorder(BorderFactory.createLineBorder(new Color(90, 90, 90)));
            sp.setBounds(30, 60, w - 60, Math.min(5, rows.length) * 24 + 4);
            body.add(sp);
            Runnable ok = () -> {
                String sel = list.getSelectedValue();
                if (sel == null) return;
                close();
                onOk.accept(sel);
            };
            int by = 60 + Math.min(5, rows.length) * 24 + 4 + 20;
            JButton okb = button("OK", "ok_button", w / 2 - 55, by, ok);
            button("Cancel", "cancel_button", w / 2 + 55, by, this::cancel);
            list.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "ok");
            list.getActionMap().put("ok", new AbstractAction() {
                public void actionPerformed(ActionEvent e) { okb.doClick(0); }
            });
            list.addListSelectionListener(e -> {
                if (!e.getValueIsAdjusting()) Theme.state(this, "selected", list.getSelectedValue());
            });
            Theme.state(this, "selected", list.getSelectedValue());
            focusFirst = list;
        }
    }

    /** Screen "second_factor_totp": "Enter Mobile Authenticator app code", a code field, OK / Cancel; a wrong
     *  code shows a message and the dialog stays. */
    public static final class Totp extends Base {
        public final JTextField code = new JTextField();
        private final JLabel error;

        public Totp(Window owner, java.util.function.Predicate<String> check, Runnable onOk, Runnable onCancel) {
            super(owner, "second_factor_totp", 440, 250);
            this.onCancel = onCancel;
            int w = 438;
            text("Enter Mobile Authenticator app code", 16, Color.WHITE, 30, 26, -1, false);
            code.setFont(Theme.font(16));
            code.setBackground(Color.WHITE);
            code.setForeground(Color.BLACK);
            code.setBorder(BorderFactory.createEmptyBorder(2, 6, 2, 6));
            code.setBounds(30, 66, w - 60, 30);
            Theme.role(code, "code");
            body.add(code);
            error = text(" ", 13, new Color(240, 90, 90), 30, 108, w - 60, false);
            Theme.role(error, "error");
            Runnable ok = () -> {
                String c = code.getText().trim();
                boolean good = check.test(c);
                gw.events.event("text_set", "role", "code", "length", c.length(), "matched", good);
                if (good) {
                    close();
                    onOk.run();
                } else {
                    gw.events.event("second_factor", "kind", "totp", "result", "rejected");
                    error.setText("Invalid security code. Please try again.");
                    code.selectAll();
                    code.requestFocusInWindow();
                }
            };
            JButton okb = button("OK", "ok_button", w / 2 - 55, 168, ok);
            button("Cancel", "cancel_button", w / 2 + 55, 168, this::cancel);
            code.addActionListener(e -> okb.doClick(0));
            focusFirst = code;
        }
    }

    /** RFC 6238 TOTP (HMAC-SHA1, 30-s steps, 6 digits), accepting the previous, current and next step. */
    public static boolean totpValid(String secretBase32, String code, long epochMillis) {
        if (code == null || !code.matches("\\d{6}")) return false;
        byte[] key = base32(secretBase32);
        if (key.length == 0) return false;
        long step = epochMillis / 1000 / 30;
        for (long s = step - 1; s <= step + 1; s++) {
            if (totp(key, s).equals(code)) return true;
        }
        return false;
    }

    static String totp(byte[] key, long counter) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(key, "HmacSHA1"));
            byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(counter).array());
            int o = h[h.length - 1] & 0xf;
            int bin = ((h[o] & 0x7f) << 24) | ((h[o + 1] & 0xff) << 16) | ((h[o + 2] & 0xff) << 8) | (h[o + 3] & 0xff);
            return String.format("%06d", bin % 1_000_000);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] base32(String s) {
        String a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
        s = s.replace(" ", "").replace("=", "").toUpperCase();
        ByteBuffer out = ByteBuffer.allocate(s.length() * 5 / 8 + 1);
        int buf = 0, bits = 0;
        for (char c : s.toCharArray()) {
            int v = a.indexOf(c);
            if (v < 0) continue;
            buf = (buf << 5) | v;
            bits += 5;
            if (bits >= 8) {
                out.put((byte) (buf >> (bits - 8)));
                bits -= 8;
            }
        }
        byte[] r = new byte[out.position()];
        out.flip();
        out.get(r);
        return r;
    }
}
