package replica;

import java.awt.*;
import java.awt.event.*;
import java.awt.geom.*;
import java.awt.image.BufferedImage;
import java.util.Random;
import javax.swing.*;
import javax.swing.event.DocumentEvent;
import javax.swing.event.DocumentListener;

/** Screen "login": the 790x610 undecorated login frame of IB Gateway 10.4x. Geometry, colours and fonts are
 *  measured on reference-screens/login_*.png (see README): the chrome (toggle outlines and fills, field borders,
 *  the login button's body, banner) is painted by the background panel from the components' state, and the
 *  components themselves sit 1 px inside the drawn outlines and paint only their text, so every box in the tree
 *  lies inside what is drawn. */
public class LoginFrame extends JFrame {
    public static final int W = 790, H = 610;

    private final Gateway gw;
    private final boolean drift;
    private boolean fix;            // API type FIX CTCI
    private boolean paper;          // trading mode Paper Trading
    private boolean moreOptions;
    private boolean restartMode;
    private String status = "";     // small status line (restart mode)

    private final Theme.TitleBar bar;
    private final Panel panel = new Panel();
    final Seg apiFix, apiIb, modeLive, modePaper;
    final Field fixUser, fixPass, user, pass;
    final LoginButton loginBtn;
    final Link moreLink;
    final EnglishButton english;
    final TextLabel lApi, lMode, lFix, lMd, lRegion, lTz, banner;
    final JComboBox<String> region, tz;
    final JLabel keyboard;

    private final BufferedImage bgLive, bgPaper;
    private Runnable onLogin;

    // layout results (frame coordinates)
    private int apiTop, modeTop, fixPairTop, mdPairTop, bannerTop, btnTop, moreBase;
    private final int colX, colW;

    public static final String[] REGIONS = {"America", "Europe", "Asia", "China"};
    public static final String[] TIME_ZONES = {
        "America/New York", "America/Chicago", "America/Denver", "America/Los Angeles", "America/Toronto",
        "America/Sao Paulo", "Europe/London", "Europe/Paris", "Europe/Berlin", "Europe/Zurich", "Europe/Moscow",
        "Asia/Hong Kong", "Asia/Shanghai", "Asia/Tokyo", "Asia/Singapore", "Asia/Kolkata", "Australia/Sydney",
        "UTC"};

    public LoginFrame(Gateway gw, boolean restartMode) {
        super(gw.drift ? "IB Gateway" : "IBKR Gateway");
        this.gw = gw;
        this.drift = gw.drift;
        this.restartMode = restartMode;
        paper = gw.scenario.paper();
        colX = drift ? 202 : 218;
        colW = drift ? 411 : 395;
        setUndecorated(true);
        setResizable(false);
        setSize(W, H);
        Theme.screen(this, "login");
        setContentPane(panel);
        panel.setLayout(null);

        bar = new Theme.TitleBar(this, getTitle(), false);
        bar.onClose = () -> gw.requestExit(0, "login frame closed");
        bar.onMinimise = () -> setState(Frame.ICONIFIED);
        bar.setBounds(2, 2, W - 4, 20);
        panel.add(bar);

        english = add(new EnglishButton("English"), "language");
        english.setBounds(drift ? 672 : 683, 41, 84, 26);

        lApi = add(new TextLabel("API Type", 16, Color.WHITE), null);
        lMode = add(new TextLabel("Trading Mode", 16, Color.WHITE), null);
        lFix = add(new TextLabel("FIX Login", 16, Color.WHITE), null);
        lMd = add(new TextLabel("Market Data", 16, Color.WHITE), null);
        lRegion = add(new TextLabel("Region", 16, Color.WHITE), null);
        lTz = add(new TextLabel("Time Zone", 16, Color.WHITE), null);
        banner = add(new TextLabel("SIMULATED TRADING", 12, Color.WHITE), null);
        banner.centred = true;

        ButtonGroup g1 = new ButtonGroup(), g2 = new ButtonGroup();
        apiFix = add(new Seg(drift ? "FIX-CTCI" : "FIX CTCI", true), "api_type.fix_ctci");
        apiIb = add(new Seg("IB API", true), "api_type.ib_api");
        modeLive = add(new Seg(drift ? "Live-Trading" : "Live Trading", false), "trading_mode.live");
        modePaper = add(new Seg(drift ? "Paper-Trading" : "Paper Trading", false), "trading_mode.paper");
        g1.add(apiFix);
        g1.add(apiIb);
        g2.add(modeLive);
        g2.add(modePaper);
        apiIb.setSelected(true);
        (paper ? modePaper : modeLive).setSelected(true);
        apiFix.addActionListener(e -> { click("api_type.fix_ctci"); setFix(true); });
        apiIb.addActionListener(e -> { click("api_type.ib_api"); setFix(false); });
        modeLive.addActionListener(e -> { click("trading_mode.live"); setPaper(false); });
        modePaper.addActionListener(e -> { click("trading_mode.paper"); setPaper(true); });

        fixUser = add(new Field(false, false, "Username"), "fix_username");
        fixPass = add(new Field(true, false, "Password"), "fix_password");
        user = add(new Field(false, true, "Username"), "username");
        pass = add(new Field(true, true, "Password"), "password");

        loginBtn = add(new LoginButton(), "login_button");
        loginBtn.addActionListener(e -> {
            if (!loginBtn.isEnabled()) return;
            click("login_button");
            if (onLogin != null) onLogin.run();
        });
        // Return in the password field logs in (as Swing's default button would).
        ActionListener submit = e -> { if (loginBtn.isEnabled()) loginBtn.doClick(0); };
        pass.addActionListener(submit);
        fixPass.addActionListener(submit);
        user.addActionListener(e -> pass.requestFocusInWindow());
        fixUser.addActionListener(e -> fixPass.requestFocusInWindow());

        moreLink = add(new Link("More Options"), "more_options");
        moreLink.addActionListener(e -> { click("more_options"); setMoreOptions(!moreOptions); });

        region = add(combo(REGIONS, gw.settings.get("region")), "region");
        tz = add(combo(TIME_ZONES, gw.settings.get("time_zone")), "time_zone");
        region.addActionListener(e -> comboChanged("region", region));
        tz.addActionListener(e -> comboChanged("time_zone", tz));

        keyboard = add(new JLabel(new KeyboardIcon()), "keyboard");

        english.addActionListener(e -> click("language"));

        String remembered = gw.settings.get("username");
        if (!remembered.isEmpty() && !restartMode) user.setText(remembered);

        DocumentListener dl = new DocumentListener() {
            public void insertUpdate(DocumentEvent e) { update(); }
            public void removeUpdate(DocumentEvent e) { update(); }
            public void changedUpdate(DocumentEvent e) { update(); }
        };
        for (Field f : new Field[] {fixUser, fixPass, user, pass}) f.getDocument().addDocumentListener(dl);

        bgLive = Backgrounds.get(false, W - 8, H - 25);
        bgPaper = Backgrounds.get(true, W - 8, H - 25);

        setFocusTraversalPolicy(new LayoutFocusTraversalPolicy());
        if (restartMode) enterRestartMode();
        relayout();
        update();
    }

    private <T extends JComponent> T add(T c, String role) {
        Theme.role(c, role);
        panel.add(c);
        return c;
    }

    private void click(String role) { gw.events.event("click", "role", role, "screen", "login"); }

    private JComboBox<String> combo(String[] items, String sel) {
        JComboBox<String> c = new JComboBox<>(items);
        // dark combo: the field in the frame's style, a plain arrow cell, a dark popup list
        c.setUI(new javax.swing.plaf.basic.BasicComboBoxUI() {
            @Override protected JButton createArrowButton() {
                JButton b = new javax.swing.plaf.basic.BasicArrowButton(SwingConstants.SOUTH,
                        new Color(40, 40, 48), new Color(40, 40, 48), new Color(200, 200, 200), new Color(40, 40, 48));
                b.setBorder(BorderFactory.createEmptyBorder());
                return b;
            }

            @Override public void paintCurrentValue(Graphics g, Rectangle r, boolean hasFocus) {
                @SuppressWarnings("unchecked")
                ListCellRenderer<Object> rr = (ListCellRenderer<Object>) comboBox.getRenderer();
                Component v = rr.getListCellRendererComponent(listBox, comboBox.getSelectedItem(), -1, false, false);
                v.setBackground(hasFocus ? new Color(52, 56, 70) : new Color(40, 40, 48));
                v.setForeground(Color.WHITE);
                currentValuePane.paintComponent(g, v, comboBox, r.x, r.y, r.width, r.height, false);
            }
        });
        c.setFont(Theme.font(16));
        c.setBackground(new Color(40, 40, 48));
        c.setForeground(Color.WHITE);
        c.setBorder(BorderFactory.createLineBorder(new Color(102, 102, 102)));
        c.setRenderer(new DefaultListCellRenderer() {
            @Override public Component getListCellRendererComponent(JList<?> l, Object v, int i, boolean sel, boolean f) {
                JLabel r = (JLabel) super.getListCellRendererComponent(l, v, i, sel, f);
                r.setBorder(BorderFactory.createEmptyBorder(2, 10, 2, 6));
                r.setBackground(sel ? new Color(58, 108, 170) : new Color(40, 40, 48));
                r.setForeground(Color.WHITE);
                return r;
            }
        });
        c.setSelectedItem(sel);
        c.setVisible(false);
        return c;
    }

    private void comboChanged(String key, JComboBox<String> c) {
        Object v = c.getSelectedItem();
        if (v == null || v.toString().equals(gw.settings.get(key))) return;
        gw.settings.set(key, v.toString());
        gw.settings.save();
        gw.events.event("combo_set", "role", key, "value", v.toString());
    }

    public void setOnLogin(Runnable r) { onLogin = r; }

    /** Log text_set for every field changed since last reported (before a login attempt: Return in the
     *  password field logs in without a focus change). */
    public void reportFields() {
        for (Field f : new Field[] {fixUser, fixPass, user, pass}) {
            if (f.isShowing()) f.report();
        }
    }

    public boolean isFix() { return fix; }
    public boolean isPaper() { return paper; }
    public String apiType() { return fix ? "FIX CTCI" : "IB API"; }
    public String tradingMode() { return paper ? "Paper Trading" : "Live Trading"; }

    /** Credentials used for the login: the IB API pair, or in FIX mode the FIX Login pair. */
    public String loginUser() { return fix ? fixUser.getText() : user.getText(); }
    public char[] loginPassword() { return fix ? fixPass.getPassword() : pass.getPassword(); }

    void setFix(boolean f) {
        if (fix == f) return;
        fix = f;
        relayout();
        update();
        (fix ? fixUser : user).requestFocusInWindow();
    }

    void setPaper(boolean p) {
        if (paper == p) return;
        paper = p;
        relayout();
        update();
    }

    void setMoreOptions(boolean m) {
        moreOptions = m;
        relayout();
        update();
    }

    public void setStatus(String s) { status = s == null ? "" : s; panel.repaint(); }

    public boolean restartMode() { return restartMode; }

    private void enterRestartMode() {
        for (Field f : new Field[] {fixUser, fixPass, user, pass}) {
            f.setEnabled(false);
            f.setEditable(false);
        }
        user.setText(gw.settings.get("username"));
        status = "Restarting application, please wait...";
    }

    public void leaveRestartMode() {
        restartMode = false;
        status = "";
        for (Field f : new Field[] {fixUser, fixPass, user, pass}) {
            f.setEnabled(true);
            f.setEditable(true);
        }
        user.setText("");
        pass.setText("");
        update();
        panel.repaint();
    }

    /** After token_expired mid-session: a normal, empty login (the username stays). */
    public void afterTokenExpiry() {
        if (restartMode) leaveRestartMode();
        pass.setText("");
        fixPass.setText("");
        focusTarget = fix ? fixUser : user.getText().isEmpty() ? user : pass;
    }

    /** Reset the password fields after a failed attempt and focus the first empty field. */
    public void afterFailure() {
        pass.setText("");
        fixPass.setText("");
        focusTarget = fix ? fixPass : pass;
    }

    private JComponent focusTarget;

    private void update() {
        boolean ok = restartMode ? false
                : fix ? !fixUser.getText().isEmpty() && fixPass.getDocument().getLength() > 0
                      : !user.getText().isEmpty() && pass.getDocument().getLength() > 0;
        loginBtn.setEnabled(ok);
        loginBtn.setText(paper ? (drift ? "Paper-Login" : "Paper Log In") : (drift ? "Login" : "Log In"));
        Theme.state(this, "api_type", apiType());
        Theme.state(this, "trading_mode", tradingMode());
        Theme.state(this, "more_options", moreOptions);
        Theme.state(this, "restart_mode", restartMode);
        panel.repaint();
    }

    /** Stack the column: API type row, trading mode row, [banner], [FIX pair], credentials pair, button, More
     *  Options. Offsets measured on the two references (FIX+Live, IB API+Paper). */
    private void relayout() {
        int dy = drift ? 22 : 0;
        apiTop = (fix ? 196 : 162) + dy;
        if (moreOptions) apiTop -= fix ? 110 : 40;   // make room for Region/Time Zone (layout a guess)
        modeTop = apiTop + 45;
        int y = modeTop + 26 + 11;                   // first row below the trading-mode row
        bannerTop = y;
        if (paper) y += 14;                          // banner covers the pair's top border row
        if (fix) {
            fixPairTop = y;
            y += 77 + 10;
        }
        mdPairTop = y;
        y += 76;
        btnTop = y + (fix ? 11 : 31);
        moreBase = btnTop + 45 + (fix ? 83 : 71);
        if (drift) moreBase = Math.min(moreBase, H - 8); // the drifted build keeps its bottom row inside the frame

        setSeg(apiFix, apiIb, apiTop, 34);
        setSeg(modeLive, modePaper, modeTop, 26);
        lApi.place(colX - 10, apiTop + 23);
        lMode.place(colX - 10, modeTop + 19);
        banner.setVisible(paper);
        banner.placeCentred(colX, colX + colW + 1, bannerTop + 12);
        lFix.setVisible(fix);
        fixUser.setVisible(fix);
        fixPass.setVisible(fix);
        lMd.setVisible(fix);
        if (fix) {
            lFix.place(colX - 10, fixPairTop + 44);
            lMd.place(colX - 10, mdPairTop + 44);
            fixUser.setBounds(colX + 1, fixPairTop + 1, colW - 1, 37);
            fixPass.setBounds(colX + 1, fixPairTop + 39, colW - 1, 37);
        }
        user.setBounds(colX + 1, mdPairTop + 1, colW - 1, 37);
        pass.setBounds(colX + 1, mdPairTop + 39, colW - 1, 37);
        if (paper) {
            // the banner hides the first field's top row
            user.setBounds(colX + 1, mdPairTop + 2, colW - 1, 36);
        }
        loginBtn.setBounds(colX + 1, btnTop + 1, colW - 2, 43);
        FontMetrics fm = moreLink.getFontMetrics(moreLink.getFont());
        int mw = fm.stringWidth(moreLink.getText()) + 6 + 14;
        moreLink.setBounds(drift ? 317 : 329, moreBase - 15, mw, 20);
        keyboard.setBounds(drift ? 736 : 746, moreBase - 13, 20, 14);
        region.setVisible(moreOptions);
        tz.setVisible(moreOptions);
        lRegion.setVisible(moreOptions);
        lTz.setVisible(moreOptions);
        if (moreOptions) {
            int ry = moreBase + 18;
            region.setBounds(colX, ry, colW, 30);
            lRegion.place(colX - 10, ry + 21);
            tz.setBounds(colX, ry + 40, colW, 30);
            lTz.place(colX - 10, ry + 61);
        }
        panel.revalidate();
        panel.repaint();
    }

    private void setSeg(Seg a, Seg b, int top, int h) {
        int half = (colW + 1) / 2;           // 198: left half 218..415, right half 416..612
        a.setBounds(colX + 1, top + 1, half - 1, h - 2);
        b.setBounds(colX + half, top + 1, colW - half - 1, h - 2);
        a.baselineOffset = h == 34 ? 22 : 18;
        b.baselineOffset = a.baselineOffset;
    }

    // ---------------------------------------------------------------- painting

    private Color bgTint() { return paper ? new Color(83, 15, 36) : new Color(13, 15, 27); }

    /** The content pane: frame border, background image, logo, and the chrome of every control. */
    private final class Panel extends JPanel {
        Panel() { setOpaque(true); }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            // frame: 2-px #666 outer border, 2-px #808285 sides below the title bar, black line under it
            g.setColor(new Color(102, 102, 102));
            g.fillRect(0, 0, W, H);
            g.setColor(new Color(128, 130, 133));
            g.fillRect(2, 22, W - 4, H - 24);
            g.setColor(Color.BLACK);
            g.fillRect(2, 22, W - 4, 1);
            g.drawImage(paper ? bgPaper : bgLive, 4, 23, null);
            paintLogo(g, drift);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            paintPair(g, apiTop, 34, apiFix.isSelected(), Color.WHITE, Color.WHITE);
            Color modeLine = drift ? new Color(126, 150, 140) : new Color(136, 146, 136);
            Color modeFill = drift ? new Color(139, 166, 152) : new Color(149, 160, 149);
            paintPair(g, modeTop, 26, modeLive.isSelected(), modeLine, modeFill);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            g.setColor(new Color(102, 102, 102));
            if (fix) fieldPair(g, fixPairTop);
            fieldPair(g, mdPairTop);
            if (paper) {
                g.setColor(drift ? new Color(206, 28, 44) : new Color(216, 18, 34));
                g.fillRect(colX, bannerTop, colW + 1, 15);
            }
            paintButton(g);
            if (!status.isEmpty()) {
                g.setFont(Theme.font(13));
                Theme.drawText(g, status, colX + 2, btnTop + 45 + 24, new Color(220, 220, 220), Theme.Aa.OFF);
            }
            g.dispose();
        }

        private void fieldPair(Graphics2D g, int top) {
            g.drawRect(colX, top, colW, 76);          // 218..613: one pixel wider than the toggle rows
            g.drawLine(colX, top + 38, colX + colW, top + 38);
        }

        /** A segmented pair: rounded outline, the selected half filled. */
        private void paintPair(Graphics2D g, int top, int h, boolean leftSelected, Color line, Color fill) {
            int half = (colW + 1) / 2;
            RoundRectangle2D outer = new RoundRectangle2D.Double(colX + 0.5, top + 0.5, colW - 1 + 0.0, h - 1, 11, 11);
            Shape old = g.getClip();
            g.setColor(fill);
            Area sel = new Area(new RoundRectangle2D.Double(colX, top, colW, h, 12, 12));
            sel.intersect(new Area(leftSelected ? new Rectangle(colX, top, half, h)
                    : new Rectangle(colX + half, top, colW - half, h)));
            g.fill(sel);
            g.setClip(old);
            g.setColor(line);
            g.draw(outer);
        }

        private void paintButton(Graphics2D g) {
            boolean en = loginBtn.isEnabled();
            boolean pressed = loginBtn.getModel().isPressed();
            Color c;
            if (paper) c = drift ? (en ? new Color(180, 30, 58) : new Color(128, 22, 40))
                                 : (en ? new Color(196, 22, 50) : new Color(136, 17, 36));
            else c = drift ? (en ? new Color(30, 106, 170) : new Color(14, 66, 110))
                           : (en ? new Color(18, 104, 178) : new Color(8, 70, 115));
            if (pressed) c = c.darker();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(c);
            g.fill(new RoundRectangle2D.Double(colX, btnTop, colW, 45, 6, 6));
            if (loginBtn.isFocusOwner()) {
                g.setColor(new Color(200, 200, 200, 120));
                g.draw(new RoundRectangle2D.Double(colX + 0.5, btnTop + 0.5, colW - 1, 44, 6, 6));
            }
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        }

        private void paintLogo(Graphics2D g, boolean drift) { LoginFrame.paintLogo(g, drift); }
    }

    /** The logo, drawn here (not copied): a red mark and "Interactive" bold + "Brokers" plain, squeezed to the
     *  196-px width of the real one, cap height 16 px, at (309,74) in frame coordinates. */
    static void paintLogo(Graphics2D g, boolean drift) {
        int lx = drift ? 296 : 309, top = drift ? 70 : 74;
        Graphics2D h = (Graphics2D) g.create();
        h.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        h.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        // mark: a red blade leaning right with a notch, and a red dot beside it
        Path2D f = new Path2D.Double();
        f.moveTo(lx - 15, top - 13);
        f.lineTo(lx - 24.5, top + 10);
        f.lineTo(lx - 11, top + 16);
        f.lineTo(lx - 18, top + 7.5);
        f.lineTo(lx - 17, top - 3);
        f.closePath();
        h.setPaint(new GradientPaint(lx - 24, top - 13, new Color(230, 40, 50), lx - 11, top + 16, new Color(170, 14, 30)));
        h.fill(f);
        h.setColor(new Color(220, 30, 44));
        h.fill(new Ellipse2D.Double(lx - 14.5, top + 1.5, 6.5, 6.5));
        h.setColor(Color.WHITE);
        Font b = new Font(Theme.FAMILY, Font.BOLD, 22), p = new Font(Theme.FAMILY, Font.PLAIN, 22);
        FontMetrics fb = h.getFontMetrics(b), fp = h.getFontMetrics(p);
        int total = fb.stringWidth("Interactive") + fp.stringWidth("Brokers");
        double sx = 197.0 / total;
        h.translate(lx, top + 16);
        h.scale(sx, 1.0);
        h.setFont(b);
        h.drawString("Interactive", 0, 0);
        h.setFont(p);
        h.drawString("Brokers", fb.stringWidth("Interactive"), 0);
        h.dispose();
    }

    /** One half of a segmented toggle pair; paints only its text (16 px, LCD). */
    final class Seg extends JToggleButton {
        final boolean api;
        int baselineOffset = 22;

        Seg(String text, boolean api) {
            super(text);
            this.api = api;
            Theme.customPainted(this, 16);
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            // paint on an opaque-looking background for LCD text: Java only does LCD onto opaque pixels,
            // which is what the parent has already painted here.
            g.setFont(getFont());
            Color c;
            if (api) c = isSelected() ? Color.BLACK : Theme.TOGGLE_OFF_TEXT;
            else c = isSelected() ? Color.BLACK : new Color(146, 146, 146);
            FontMetrics fm = g.getFontMetrics();
            int x = (getWidth() - fm.stringWidth(getText())) / 2 + (this == apiIb || this == modePaper ? 1 : 0);
            Theme.drawText(g, getText(), x, baselineOffset, c, Theme.Aa.LCD);
            if (isFocusOwner()) {
                g.setColor(new Color(120, 160, 220, 140));
                g.drawLine(x, baselineOffset + 3, x + fm.stringWidth(getText()), baselineOffset + 3);
            }
            g.dispose();
        }
    }

    /** Username / password field: transparent, no border (the panel draws it), optional icon at the left,
     *  placeholder in #acacac while empty, eye icon on password fields that toggles the echo. */
    final class Field extends JPasswordField {
        final boolean secret, icon;
        final String placeholder;
        boolean revealed;
        private String lastReported = "";

        Field(boolean secret, boolean icon, String placeholder) {
            this.secret = secret;
            this.icon = icon;
            this.placeholder = placeholder;
            putClientProperty("ibga.secret", secret);
            setOpaque(false);
            setFont(Theme.font(16));
            setForeground(Color.WHITE);
            setCaretColor(Color.WHITE);
            setSelectionColor(new Color(60, 100, 160));
            setSelectedTextColor(Color.WHITE);
            setDisabledTextColor(new Color(150, 150, 150));
            setBorder(BorderFactory.createEmptyBorder(10, icon ? 38 : 12, 8, secret ? 40 : 12));
            if (!secret) setEchoChar((char) 0);
            else setEchoChar('\u2022');
            addMouseListener(new MouseAdapter() {
                @Override public void mousePressed(MouseEvent e) {
                    if (secret && e.getX() >= getWidth() - 36) {
                        revealed = !revealed;
                        setEchoChar(revealed ? (char) 0 : '\u2022');
                        click(Theme.roleOf(Field.this) + ".reveal");
                        repaint();
                    }
                }
            });
            addFocusListener(new FocusAdapter() {
                @Override public void focusLost(FocusEvent e) { report(); }
            });
        }

        @Override public String getText() {
            return new String(getPassword());
        }

        /** text_set event: the length (and for secrets only whether it matched), never the value. */
        void report() {
            if (!isEditable()) return;
            String t = new String(getPassword());
            if (t.equals(lastReported)) return;
            lastReported = t;
            String role = Theme.roleOf(this);
            if (secret) {
                gw.events.event("text_set", "role", role, "length", t.length(), "matched",
                        t.equals(gw.scenario.password));
            } else {
                gw.events.event("text_set", "role", role, "length", t.length(), "matched",
                        t.equals(gw.scenario.username));
            }
        }

        @Override public void setBounds(int x, int y, int w, int h) {
            super.setBounds(x, y, w, h);
            // baseline 25 px below the top of the field (26 below the drawn border line)
            int top = 10 - (37 - h);
            setBorder(BorderFactory.createEmptyBorder(top, icon ? 38 : 12, h - top - 19, secret ? 40 : 12));
        }

        @Override protected void paintComponent(Graphics g0) {
            super.paintComponent(g0);
            Graphics2D g = (Graphics2D) g0.create();
            int base = getInsets().top + 15;
            if (getDocument().getLength() == 0) {
                g.setFont(getFont());
                Theme.drawText(g, placeholder, icon ? 38 : 12, base, Theme.PLACEHOLDER, Theme.Aa.OFF);
            }
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setStroke(new BasicStroke(1.2f));
            g.setColor(new Color(225, 225, 225));
            int top = base - 13;    // icon box top: 12 px under the drawn border
            if (icon && !secret) {          // user: a circle with a head and shoulders
                g.draw(new Ellipse2D.Double(10.5, top - 0.5, 12, 12));
                g.draw(new Ellipse2D.Double(14.5, top + 2, 4, 4));
                g.draw(new Arc2D.Double(12.5, top + 7, 8, 6, 20, 140, Arc2D.OPEN));
            } else if (icon) {              // lock: a shackle over a body
                g.draw(new Arc2D.Double(13.5, top - 0.5, 6, 8, 0, 180, Arc2D.OPEN));
                g.draw(new Line2D.Double(13.5, top + 3.5, 13.5, top + 5));
                g.draw(new Line2D.Double(19.5, top + 3.5, 19.5, top + 5));
                g.draw(new RoundRectangle2D.Double(11.5, top + 5.5, 10, 6, 2, 2));
            }
            if (secret) {                   // eye, 16x10, at the right
                double ex = getWidth() - 25, ey = base - 13;
                Path2D eye = new Path2D.Double();
                eye.moveTo(ex, ey + 5);
                eye.quadTo(ex + 8, ey - 4, ex + 16, ey + 5);
                eye.quadTo(ex + 8, ey + 14, ex, ey + 5);
                g.setColor(Color.WHITE);
                g.setStroke(new BasicStroke(1.6f));
                g.draw(eye);
                g.fill(new Ellipse2D.Double(ex + 5, ey + 2, 6, 6));
                if (revealed) g.draw(new Line2D.Double(ex + 1, ey + 10, ex + 15, ey));
            }
            g.dispose();
        }
    }

    /** The big login button; the panel paints its body (so its rounded edge can lie outside the component's box),
     *  the component paints the 16-px text: grayscale AA at 40 % white while disabled, LCD white when enabled. */
    final class LoginButton extends JButton {
        LoginButton() {
            super("Log In");
            Theme.customPainted(this, 16);
            getModel().addChangeListener(e -> panel.repaint());
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            g.setFont(getFont());
            FontMetrics fm = g.getFontMetrics();
            int x = (getWidth() - fm.stringWidth(getText())) / 2 + 1;
            if (isEnabled()) Theme.drawText(g, getText(), x, 26, Color.WHITE, Theme.Aa.LCD);
            else Theme.drawText(g, getText(), x, 26, new Color(255, 255, 255, 102), Theme.Aa.GRAY);
            g.dispose();
        }
    }

    /** "More Options ⌄": grey 16-px LCD text and a chevron. */
    final class Link extends JButton {
        Link(String text) {
            super(text);
            Theme.customPainted(this, 16);
            setCursor(Cursor.getPredefinedCursor(Cursor.HAND_CURSOR));
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            g.setFont(getFont());
            Color c = drift ? new Color(120, 120, 120) : Theme.LINK_GREY;
            Theme.drawText(g, getText(), 0, 15, c, Theme.Aa.LCD);
            int cx = g.getFontMetrics().stringWidth(getText()) + 6;
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(140, 140, 140));
            g.setStroke(new BasicStroke(1.0f));
            if (moreOptions) {
                g.draw(new Line2D.Double(cx, 12.5, cx + 5.5, 7));
                g.draw(new Line2D.Double(cx + 5.5, 7, cx + 11, 12.5));
            } else {
                g.draw(new Line2D.Double(cx, 6.5, cx + 5.5, 12));
                g.draw(new Line2D.Double(cx + 5.5, 12, cx + 11, 6.5));
            }
            g.dispose();
        }
    }

    /** "English": a pill outline in #b7baba with white 16-px LCD text. */
    static final class EnglishButton extends JButton {
        EnglishButton(String text) {
            super(text);
            Theme.customPainted(this, 16);
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            g.setFont(getFont());
            Theme.drawText(g, getText(), (getWidth() - g.getFontMetrics().stringWidth(getText())) / 2 + 1, 19,
                    Color.WHITE, Theme.Aa.LCD);
            g.dispose();
        }

        @Override public void paint(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(new Color(183, 186, 186));
            g.draw(new RoundRectangle2D.Double(0.5, 0.5, getWidth() - 1.0, getHeight() - 1.0, 25, 25));
            g.dispose();
            super.paint(g0);
        }
    }

    /** Text drawn at an exact baseline, right-aligned to a given x or centred (AA off, as JLabel does here). */
    static final class TextLabel extends JLabel {
        final int px;
        boolean centred;
        int base;

        TextLabel(String text, int px, Color c) {
            super(text);
            this.px = px;
            setFont(Theme.font(px));
            setForeground(c);
        }

        /** Right-aligned so the text's advance ends at rightX, baseline at the given y. */
        void place(int rightX, int baseline) {
            FontMetrics fm = getFontMetrics(getFont());
            int w = fm.stringWidth(getText());
            setBounds(rightX - w, baseline - fm.getAscent(), w, fm.getHeight());
            base = fm.getAscent();
        }

        void placeCentred(int x0, int x1, int baseline) {
            FontMetrics fm = getFontMetrics(getFont());
            int w = fm.stringWidth(getText());
            setBounds(x0 + (x1 - x0 - w) / 2 + 1, baseline - fm.getAscent(), w, fm.getHeight());
            base = fm.getAscent();
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            g.setFont(getFont());
            Theme.drawText(g, getText(), 0, base, getForeground(), Theme.Aa.OFF);
            g.dispose();
        }
    }

    /** The small keyboard pictogram at the bottom right (16x10). */
    static final class KeyboardIcon implements Icon {
        public int getIconWidth() { return 20; }
        public int getIconHeight() { return 14; }

        public void paintIcon(Component c, Graphics g0, int x, int y) {
            Graphics2D g = (Graphics2D) g0.create();
            g.translate(x + 2, y + 2);
            g.setColor(new Color(132, 130, 142));
            g.fillRoundRect(0, 0, 16, 10, 3, 3);
            g.setColor(new Color(70, 68, 80));
            for (int i = 0; i < 7; i++) g.fillRect(2 + i * 2, 2, 1, 1);
            g.setColor(new Color(96, 94, 106));
            for (int i = 0; i < 6; i++) g.fillRect(3 + i * 2, 4, 1, 2);
            g.setColor(new Color(40, 38, 50));
            g.fillRect(4, 7, 8, 1);
            g.dispose();
        }
    }

    /** Procedural backgrounds (our own drawing, seeded so every run is identical): a dark navy field with a
     *  teal/pink wire mesh for live, a maroon field with a dotted globe for paper. */
    static final class Backgrounds {
        private static final java.util.Map<String, BufferedImage> CACHE = new java.util.HashMap<>();

        /** Cached: the login frame and the progress frame share the same pictures. */
        static synchronized BufferedImage get(boolean paper, int w, int h) {
            return CACHE.computeIfAbsent((paper ? "p" : "l") + w + "x" + h, k -> paper ? paper(w, h) : live(w, h));
        }

        static BufferedImage live(int w, int h) {
            BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = im.createGraphics();
            g.setPaint(new GradientPaint(0, 0, new Color(10, 13, 25), w, h, new Color(21, 17, 30)));
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            Random r = new Random(42);
            // blurred glow blobs first (the real artwork is out of focus toward the bottom)
            for (int k = 0; k < 60; k++) {
                int x = r.nextInt(w), y = h / 3 + r.nextInt(2 * h / 3);
                int s = 30 + r.nextInt(70);
                boolean pink = r.nextDouble() < 0.55;
                g.setColor(pink ? new Color(120, 50, 90, 14) : new Color(50, 90, 120, 12));
                g.fill(new Ellipse2D.Double(x - s, y - s, 2 * s, 2 * s));
            }
            // a wavy wire surface: a jittered grid, bent by two waves and rising toward the upper right, cells
            // shrinking toward the crest at the lower left (a cheap perspective)
            int nu = 24, nv = 20;
            double[][] sx = new double[nv][nu], sy = new double[nv][nu];
            for (int v = 0; v < nv; v++) {
                for (int u = 0; u < nu; u++) {
                    double fx = u / (double) (nu - 1), fy = v / (double) (nv - 1);
                    double x = -60 + fx * (w + 120) + r.nextGaussian() * 9;
                    double y = -80 + fy * h * 0.95 + r.nextGaussian() * 8;
                    y += 38 * Math.sin(fx * 7.0 + fy * 3.0) + 30 * Math.sin(fy * 9.0 - fx * 2.5);
                    y -= (fx - 0.5) * 120 * (1 - fy);          // rising to the right at the top
                    y = h * 0.72 * Math.pow(Math.max(0, y + 80) / (h * 0.9 + 80), 0.85) - 20;
                    sx[v][u] = x;
                    sy[v][u] = y;
                }
            }
            int[][] nb = {{0, 1}, {1, 0}, {1, 1}};
            g.setStroke(new BasicStroke(1.0f));
            for (int v = 0; v < nv; v++) {
                for (int u = 0; u < nu; u++) {
                    for (int[] d : nb) {
                        int vv = v + d[0], uu = u + d[1];
                        if (vv >= nv || uu >= nu) continue;
                        if (d[0] == 1 && d[1] == 1 && ((u + v) & 1) == 0) continue;  // mixed diagonals
                        double mx = (sx[v][u] + sx[vv][uu]) / 2, my = (sy[v][u] + sy[vv][uu]) / 2;
                        double low = Math.max(0, Math.min(1, (my / h - 0.35) * 2.2));
                        int a = (int) (120 * (1 - 0.8 * low)) + 25;
                        boolean teal = mx / w + 0.8 * (my / h) < 0.55 + 0.25 * Math.sin(u * 0.9 + v * 0.7)
                                || (mx / w > 0.8 && my / h < 0.25);
                        g.setColor(teal ? new Color(76, 128, 146, a) : new Color(150, 60, 96, a));
                        g.draw(new Line2D.Double(sx[v][u], sy[v][u], sx[vv][uu], sy[vv][uu]));
                    }
                }
            }
            // darken the top and the bottom edge, as in the real picture
            g.setPaint(new GradientPaint(0, 0, new Color(10, 12, 22, 120), 0, h * 0.2f, new Color(10, 12, 22, 0)));
            g.fillRect(0, 0, w, h / 5 + 1);
            g.setPaint(new GradientPaint(0, h * 0.7f, new Color(12, 14, 24, 0), 0, h, new Color(12, 14, 24, 190)));
            g.fillRect(0, (int) (h * 0.7f), w, h - (int) (h * 0.7f));
            g.dispose();
            return im;
        }

        static BufferedImage paper(int w, int h) {
            BufferedImage im = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
            Graphics2D g = im.createGraphics();
            g.setPaint(new GradientPaint(0, 0, new Color(82, 14, 35), w, 0, new Color(92, 18, 54)));
            g.fillRect(0, 0, w, h);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            Random r = new Random(7);
            // faint large facets over the middle
            for (int k = 0; k < 7; k++) {
                Path2D t = new Path2D.Double();
                double x = w * (0.3 + 0.5 * r.nextDouble()), y = h * r.nextDouble();
                t.moveTo(x, y);
                t.lineTo(x + 80 + r.nextInt(160), y + r.nextInt(200) - 100);
                t.lineTo(x + r.nextInt(160) - 80, y + 90 + r.nextInt(160));
                t.closePath();
                g.setColor(new Color(140, 50, 90, 14));
                g.fill(t);
            }
            // a globe at the right: lighter disc, dotted land patches, a few meridians
            double cx = w * 0.86, cy = h * 0.42, rad = h * 0.62;
            g.setPaint(new RadialGradientPaint(new Point((int) cx, (int) cy), (float) rad, new float[] {0f, 0.8f, 1f},
                    new Color[] {new Color(118, 38, 88, 100), new Color(106, 30, 76, 60), new Color(90, 20, 60, 0)}));
            g.fill(new Ellipse2D.Double(cx - rad, cy - rad, 2 * rad, 2 * rad));
            g.setColor(new Color(170, 90, 140, 40));
            g.setStroke(new BasicStroke(1f));
            for (int k = 1; k < 5; k++) {
                double a = rad * k / 5.0;
                g.draw(new Ellipse2D.Double(cx - a, cy - rad, 2 * a, 2 * rad));
            }
            g.draw(new Ellipse2D.Double(cx - rad, cy - rad, 2 * rad, 2 * rad));
            for (int p = 0; p < 9; p++) {
                double pa = r.nextDouble() * Math.PI * 2, pd = rad * Math.sqrt(r.nextDouble()) * 0.9;
                double px = cx + Math.cos(pa) * pd, py = cy + Math.sin(pa) * pd;
                int n = 120 + r.nextInt(200);
                for (int k = 0; k < n; k++) {
                    double x = px + r.nextGaussian() * 28, y = py + r.nextGaussian() * 22;
                    if (Math.hypot(x - cx, y - cy) > rad || x >= w || x < w * 0.62) continue;
                    // snap to a small grid: the real globe's land is drawn as dot rows
                    x = Math.round(x / 4) * 4;
                    y = Math.round(y / 4) * 4;
                    g.setColor(new Color(215, 160, 195, 40 + r.nextInt(60)));
                    g.fillRect((int) x, (int) y, 2, 2);
                }
            }
            g.dispose();
            return im;
        }
    }

    public void showLogin() {
        Theme.place(this, gw.scenario.windowPosition);
        gw.register(this);
        setVisible(true);
        toFront();
        JComponent target = focusTarget != null ? focusTarget : fix ? fixUser : user;
        focusTarget = null;
        gw.grabFocus(this, restartMode ? loginBtn : target);
        gw.events.event("window_shown", "screen", "login", "title", getTitle(), "restart_mode", restartMode);
    }
}
