package replica;

import java.awt.*;
import java.awt.event.*;
import java.util.*;
import java.util.List;
import javax.swing.*;
import javax.swing.tree.*;

/** Configure ▸ Settings (CATALOG §2.33–2.37): tree on the left (#6D6F71, selected row outlined #FFF9A4),
 *  page on the right (#555555) under a black header bar, OK / Apply / Cancel at the bottom right. Colours and
 *  the Lock and Exit layout from reference logoff (about 2x, halved here); API ▸ Settings rows from reference
 *  settings_api_settings_top. Apply/OK write Gateway.settings, log settings_applied and restart the API on a
 *  new port. State {"panel": tree path without "Configuration/"}. */
public class SettingsDialog extends JDialog {
    static final int W = 860, H = 620, TREE_W = 200, TITLE_H = 22, BUTTONS_H = 40;
    static final Color TREE_BG = new Color(109, 111, 113);
    static final Color PAGE_BG = new Color(85, 85, 85);
    static final Color HEADER_BG = new Color(11, 11, 11);
    static final Color SELECT_OUTLINE = new Color(255, 249, 164);

    final Gateway g;
    final Window owner;
    final boolean drift;
    final Settings s;
    final JTree tree;
    final JPanel pages = new JPanel(new CardLayout());
    final Map<String, JComponent> pageByPath = new LinkedHashMap<>();
    String panel = "General";

    // API ▸ Settings controls
    Check readOnly, createLog, includeMd, localhostOnly;
    JTextField port, masterId;
    JComboBox<String> logLevel;
    DefaultListModel<String> trusted = new DefaultListModel<>();
    JList<String> trustedList;
    // Lock and Exit controls
    JTextField logoffTime;
    Radio am, pm, autoLogoff, autoRestart;
    JLabel timeLabel, statusLine;

    public SettingsDialog(Gateway g, Window owner) {
        super(owner, ModalityType.MODELESS);
        this.g = g;
        this.owner = owner;
        this.drift = g != null && g.drift;
        this.s = g.settings;
        setUndecorated(true);
        setTitle(title());
        Theme.screen(this, "settings");
        setSize(W + (drift ? 20 : 0), H + (drift ? 10 : 0));

        JPanel root = new JPanel(null) {
            @Override protected void paintBorder(Graphics gr) {
                gr.setColor(new Color(51, 51, 51));
                gr.drawRect(0, 0, getWidth() - 1, getHeight() - 1);
            }
        };
        root.setBackground(PAGE_BG);
        setContentPane(root);
        int w = getWidth(), h = getHeight();

        TitleBar tb = new TitleBar(getTitle());
        tb.setBounds(1, 1, w - 2, TITLE_H);
        root.add(tb);

        tree = buildTree();
        JScrollPane treeScroll = new JScrollPane(tree);
        treeScroll.setBorder(BorderFactory.createEmptyBorder());
        treeScroll.getViewport().setBackground(TREE_BG);
        int treeW = TREE_W + (drift ? 30 : 0);
        treeScroll.setBounds(1, 1 + TITLE_H, treeW, h - TITLE_H - BUTTONS_H - 1);
        root.add(treeScroll);

        JComponent divider = new JComponent() {
            @Override protected void paintComponent(Graphics gr) {
                gr.setColor(PAGE_BG.darker());
                gr.fillRect(0, 0, getWidth(), getHeight());
                gr.setColor(Color.BLACK);
                for (int y = getHeight() / 2 - 30; y < getHeight() / 2 + 30; y += 6) gr.fillRect(2, y, 2, 2);
            }
        };
        divider.setBounds(1 + treeW, 1 + TITLE_H, 6, h - TITLE_H - BUTTONS_H - 1);
        root.add(divider);

        buildPages();
        pages.setBounds(7 + treeW, 1 + TITLE_H, w - 8 - treeW, h - TITLE_H - BUTTONS_H - 1);
        root.add(pages);

        JPanel strip = new JPanel(null);
        strip.setBackground(PAGE_BG);
        strip.setBorder(BorderFactory.createMatteBorder(1, 0, 0, 0, new Color(111, 111, 111)));
        strip.setBounds(1, h - BUTTONS_H, w - 2, BUTTONS_H - 1);
        root.add(strip);
        String[][] btn = {{"OK", "ok_button"}, {"Apply", "apply_button"}, {"Cancel", "cancel_button"}};
        int bx = w - 2 - 10 - 3 * 72 - (drift ? 30 : 0);
        for (String[] b : btn) {
            JButton jb = new DarkDialog.DarkButton(b[0]);
            Theme.role(jb, b[1]);
            jb.setBounds(bx, 6, 70, 27);
            bx += 72;
            String role = b[1];
            jb.addActionListener(e -> {
                g.events.event("click", "role", role, "screen", "settings");
                if (role.equals("ok_button")) {
                    if (apply()) close();
                } else if (role.equals("apply_button")) {
                    apply();
                } else {
                    close();
                }
            });
            strip.add(jb);
            if (role.equals("ok_button")) getRootPane().setDefaultButton(jb);
        }
        getRootPane().registerKeyboardAction(e -> close(), KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0),
                JComponent.WHEN_IN_FOCUSED_WINDOW);
        loadValues();
        select("General");
    }

    String title() {
        if (drift) return "IBKR Gateway Configuration";
        String user = s.get("username");
        if (user.isEmpty() && g.scenario != null) user = g.scenario.username;
        boolean paper = g.scenario == null || !"live".equalsIgnoreCase(g.scenario.account);
        String acct = (paper ? "DU" : "U") + String.format("%07d", Math.abs(user.hashCode()) % 10000000);
        return acct + " TWS Configuration" + (paper ? " (Simulated Trading)" : "");
    }

    public void open() {
        Theme.centreOn(this, owner);
        g.register(this);
        setVisible(true);
        toFront();
        tree.requestFocusInWindow();
        g.events.event("window_shown", "screen", "settings", "title", getTitle());
    }

    void close() {
        setVisible(false);
        dispose();
        g.events.event("window_closed", "screen", "settings", "title", getTitle());
    }

    // ---------------------------------------------------------------- tree

    JTree buildTree() {
        DefaultMutableTreeNode root = new DefaultMutableTreeNode("Configuration");
        root.add(new DefaultMutableTreeNode("General"));
        root.add(new DefaultMutableTreeNode("Lock and Exit"));
        root.add(new DefaultMutableTreeNode("Messages"));
        DefaultMutableTreeNode api = new DefaultMutableTreeNode("API");
        api.add(new DefaultMutableTreeNode("Settings"));
        api.add(new DefaultMutableTreeNode("Precautions"));
        root.add(api);
        DefaultMutableTreeNode presets = new DefaultMutableTreeNode("Presets");
        presets.add(new DefaultMutableTreeNode("Stocks"));
        presets.add(new DefaultMutableTreeNode("Options"));
        root.add(presets);
        DefaultMutableTreeNode orders = new DefaultMutableTreeNode("Orders");
        orders.add(new DefaultMutableTreeNode("Settings"));
        orders.add(new DefaultMutableTreeNode("Smart Routing"));
        root.add(orders);
        JTree t = new JTree(root);
        t.setRootVisible(true);
        t.setShowsRootHandles(false);
        t.setBackground(TREE_BG);
        t.setFont(Theme.font(12));
        t.setRowHeight(16 + (drift ? 2 : 0));
        t.setBorder(BorderFactory.createEmptyBorder(3, 4, 3, 0));
        t.getSelectionModel().setSelectionMode(TreeSelectionModel.SINGLE_TREE_SELECTION);
        t.setCellRenderer(new TreeRenderer());
        t.putClientProperty("JTree.lineStyle", "Angled");
        Theme.role(t, "settings_tree");
        t.addTreeSelectionListener(e -> {
            TreePath p = e.getNewLeadSelectionPath();
            if (p != null) showPanel(pathName(p), false);
        });
        // Return opens a page / toggles a folder (IBGA uses Up/Down + Return); double-click toggles natively.
        t.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "openRow");
        t.getActionMap().put("openRow", new AbstractAction() {
            @Override public void actionPerformed(ActionEvent e) {
                TreePath p = t.getSelectionPath();
                if (p == null) return;
                if (!t.getModel().isLeaf(p.getLastPathComponent())) {
                    if (t.isExpanded(p)) t.collapsePath(p); else t.expandPath(p);
                }
                showPanel(pathName(p), true);
            }
        });
        t.addMouseListener(new MouseAdapter() {
            @Override public void mousePressed(MouseEvent e) {
                TreePath p = t.getPathForLocation(e.getX(), e.getY());
                if (p != null) g.events.event("click", "role", "settings_tree", "row", pathName(p), "count", e.getClickCount());
            }
        });
        return t;
    }

    static String pathName(TreePath p) {
        StringBuilder b = new StringBuilder();
        Object[] o = p.getPath();
        for (int i = 1; i < o.length; i++) {
            if (b.length() > 0) b.append('/');
            b.append(o[i]);
        }
        return b.length() == 0 ? "Configuration" : b.toString();
    }

    void select(String path) {
        TreeNode root = (TreeNode) tree.getModel().getRoot();
        TreePath tp = new TreePath(root);
        for (String part : path.split("/")) {
            TreeNode cur = (TreeNode) tp.getLastPathComponent();
            for (int i = 0; i < cur.getChildCount(); i++) {
                if (cur.getChildAt(i).toString().equals(part)) {
                    tp = tp.pathByAddingChild(cur.getChildAt(i));
                    break;
                }
            }
        }
        tree.setSelectionPath(tp);
        showPanel(path, false);
    }

    void showPanel(String path, boolean byKey) {
        if (!pageByPath.containsKey(path)) {
            // folders without a page of their own show their first child's page, as the real dialog does
            if (path.equals("API")) path = "API/Settings";
            else if (!pageByPath.containsKey(path)) path = pageByPath.containsKey(path) ? path : "Generic:" + path;
        }
        if (path.startsWith("Generic:")) {
            String name = path.substring(8);
            pageByPath.put(name, genericPage(name));
            pages.add(pageByPath.get(name), name);
            path = name;
        }
        panel = path;
        ((CardLayout) pages.getLayout()).show(pages, path);
        Theme.state(this, "panel", path);
    }

    /** Folder icon for the root, page icon for leaves, coloured glyphs for API / Presets / Orders; the
     *  selected row outlined in pale yellow without a fill (reference logoff). */
    final class TreeRenderer extends JComponent implements TreeCellRenderer {
        String text = "";
        boolean sel, leaf, rootNode;

        @Override public Component getTreeCellRendererComponent(JTree t, Object v, boolean selected, boolean expanded,
                                                                boolean isLeaf, int row, boolean focus) {
            text = String.valueOf(v);
            sel = selected;
            leaf = isLeaf;
            rootNode = row == 0;
            return this;
        }

        @Override public Dimension getPreferredSize() {
            return new Dimension(22 + getFontMetrics(Theme.font(12)).stringWidth(text) + 6, tree.getRowHeight());
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D gr = (Graphics2D) g0.create();
            int h = getHeight();
            paintIcon(gr, 1, (h - 14) / 2);
            gr.setFont(Theme.font(12));
            int tx = 22;
            Theme.drawText(gr, text, tx + 2, h - 4, Color.WHITE, Theme.Aa.OFF);
            if (sel) {
                gr.setColor(SELECT_OUTLINE);
                gr.drawRect(tx, 0, getWidth() - tx - 1, h - 1);
            }
            gr.dispose();
        }

        void paintIcon(Graphics2D gr, int x, int y) {
            if (rootNode) {
                gr.setColor(new Color(240, 200, 40));
                gr.fillRect(x, y + 3, 16, 10);
                gr.setColor(new Color(255, 230, 120));
                gr.fillRect(x + 2, y + 1, 7, 3);
            } else if (text.equals("API")) {
                gr.setColor(new Color(70, 140, 230));
                gr.fillPolygon(new int[] {x, x + 5, x + 5, x + 11, x + 11, x + 16, x + 11, x + 11, x + 5, x + 5},
                        new int[] {y + 7, y + 2, y + 5, y + 5, y + 2, y + 7, y + 12, y + 9, y + 9, y + 12}, 10);
            } else if (text.equals("Presets") && !leaf) {
                gr.setColor(new Color(60, 150, 230));
                gr.fillOval(x + 3, y + 1, 10, 10);
                gr.fillRect(x + 1, y + 10, 14, 4);
            } else if (text.equals("Orders") && !leaf) {
                gr.setColor(new Color(40, 100, 200));
                gr.fillRect(x + 2, y + 1, 12, 6);
                gr.setColor(new Color(210, 40, 40));
                gr.fillRect(x + 2, y + 7, 12, 7);
            } else {
                gr.setColor(Color.WHITE);
                gr.fillRect(x + 3, y, 10, 14);
                gr.setColor(new Color(170, 180, 200));
                gr.drawRect(x + 3, y, 10, 13);
            }
        }
    }

    // ---------------------------------------------------------------- pages

    void buildPages() {
        addPage("General", generalPage());
        addPage("Lock and Exit", lockAndExitPage());
        addPage("Messages", messagesPage());
        addPage("API/Settings", apiSettingsPage());
        addPage("API/Precautions", precautionsPage());
        addPage("Presets", genericPage("Presets"));
        addPage("Orders", genericPage("Orders"));
    }

    void addPage(String path, JComponent c) {
        pageByPath.put(path, c);
        pages.add(c, path);
    }

    /** A page: black header bar (24 px, 13-px bold white title) over a scrollable #555 body laid out in rows. */
    final class Page extends JPanel {
        final JPanel rows = new JPanel(null);
        int y = 8 + (drift ? 12 : 0);
        final int x0 = 6 + (drift ? 14 : 0);

        Page(String header) {
            super(new BorderLayout());
            setBackground(PAGE_BG);
            JComponent hb = new JComponent() {
                @Override protected void paintComponent(Graphics gr) {
                    gr.setColor(HEADER_BG);
                    gr.fillRect(0, 0, getWidth(), getHeight());
                    gr.setFont(Theme.bold(13));
                    Theme.drawText((Graphics2D) gr, header, 10, 17, Color.WHITE, Theme.Aa.OFF);
                }
            };
            hb.setPreferredSize(new Dimension(100, 24));
            add(hb, BorderLayout.NORTH);
            rows.setBackground(PAGE_BG);
            JScrollPane sp = new JScrollPane(rows);
            sp.setBorder(BorderFactory.createEmptyBorder());
            sp.getVerticalScrollBar().setUnitIncrement(16);
            sp.setHorizontalScrollBarPolicy(ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
            add(sp, BorderLayout.CENTER);
        }

        void section(String title) {
            y += 4;
            String t = title;
            JComponent c = new JComponent() {
                @Override protected void paintComponent(Graphics gr) {
                    gr.setFont(Theme.bold(12));
                    Theme.drawText((Graphics2D) gr, t, 0, 13, Color.WHITE, Theme.Aa.OFF);
                    int x = gr.getFontMetrics().stringWidth(t) + 6;
                    gr.setColor(Color.WHITE);
                    gr.fillRect(x, 8, getWidth() - x - 8, 2);
                }
            };
            put(c, x0, 600, 18);
        }

        <T extends JComponent> T put(T c, int x, int w, int h) {
            c.setBounds(x, y, w, h);
            rows.add(c);
            y += h + 4;
            rows.setPreferredSize(new Dimension(500, y + 10));
            return c;
        }

        /** A label with a control on the same row. */
        <T extends JComponent> T labelled(String label, T c, int w) {
            JLabel l = Theme.label(label, 12, Color.WHITE);
            int lw = l.getPreferredSize().width;
            l.setBounds(x0, y, lw, 18);
            rows.add(l);
            c.setBounds(x0 + lw + 6, y, w, 18);
            rows.add(c);
            y += 22;
            rows.setPreferredSize(new Dimension(500, y + 10));
            return c;
        }

        Check check(String text, boolean on, String role) {
            Check c = new Check(text);
            c.setSelected(on);
            if (role != null) Theme.role(c, role);
            return put(c, x0, c.getPreferredSize().width + 4, 18);
        }

        void text(String text) { put(Theme.label(text, 12, Color.WHITE), x0, 620, 18); }
    }

    JTextField field(String v, String role) {
        JTextField f = new JTextField(v);
        f.setFont(Theme.font(12));
        f.setBackground(Color.WHITE);
        f.setForeground(Color.BLACK);
        f.setBorder(BorderFactory.createEmptyBorder(0, 3, 0, 3));
        if (role != null) Theme.role(f, role);
        return f;
    }

    JComboBox<String> combo(String[] items, String sel, String role) {
        JComboBox<String> c = new JComboBox<>(items);
        c.setFont(Theme.font(12));
        c.setBackground(Color.WHITE);
        c.setSelectedItem(sel);
        if (role != null) Theme.role(c, role);
        return c;
    }

    JComponent generalPage() {
        Page p = new Page("General");
        p.section("Display");
        p.check("Use dark theme", true, null);
        p.check("Show seconds in time stamps", false, null);
        p.section("Language and Region");
        p.labelled("Time zone", combo(new String[] {s.get("time_zone"), "America/Chicago", "Europe/London", "Asia/Hong_Kong"},
                s.get("time_zone"), "time_zone"), 200);
        p.labelled("Region", combo(new String[] {"America", "Europe", "Asia", "China"}, s.get("region"), "region"), 120);
        p.section("Memory");
        p.labelled("Memory allocation (MB)", field("768", null), 60);
        return p;
    }

    JComponent messagesPage() {
        Page p = new Page("Messages");
        p.section("Messages");
        p.text("Show the following messages again:");
        p.check("Bid, Ask and Last Size Display Update", false, null);
        p.check("Paper trading account warning", true, null);
        p.check("Auto restart confirmation", true, null);
        return p;
    }

    JComponent precautionsPage() {
        Page p = new Page("API - Precautions");
        p.section("Precautions");
        String[] labels = {"Bypass Order Precautions for API Orders", "Bypass Bond warning for API Orders.",
            "Bypass negative yield to worst confirmation for API Orders.", "Bypass Called Bond warning for API Orders",
            "Bypass \"same action pair trade\" warning for API orders.",
            "Bypass price-based volatility risk warning for API Orders.",
            "Bypass US Stocks market data in shares warning for API Orders",
            "Bypass Redirect Order warning for Stock API Orders",
            "Bypass No Overfill Protection precaution for destinations where implied natively."};
        String[] roles = {"bypass_order_precautions", "bypass_bond_warning", "bypass_negative_yield", "bypass_called_bond",
            "bypass_same_action_pair", "bypass_volatility_risk", "bypass_us_stocks_shares", "bypass_redirect_order",
            "bypass_no_overfill"};
        for (int i = 0; i < labels.length; i++) p.check(labels[i], false, roles[i]);
        return p;
    }

    JComponent genericPage(String name) {
        Page p = new Page(name);
        p.section(name);
        p.text("Default settings for " + name.toLowerCase(Locale.ROOT) + ".");
        p.check("Use default " + name.toLowerCase(Locale.ROOT) + " settings", true, null);
        return p;
    }

    JComponent apiSettingsPage() {
        Page p = new Page("API - Settings");
        p.section("General");
        readOnly = p.check("Read-Only API", true, "read_only_api");
        p.check("TotalQuantity field may be used to transmit monetary value for BUY orders for mutual funds.", false, null);
        p.check("Download open orders on connection", true, null);
        p.check("Include virtual FX positions when sending portfolio.", true, null);
        p.check("Prepare DailyPnL when downloading positions", true, null);
        p.check("Send status updates for Volatility orders with \"Continuous Update\" flag", true, null);
        p.labelled("Encode API messages, instrument names", combo(new String[] {"ASCII 7 (Python, Java, .NET)", "OS Code Page (C++)"},
                "ASCII 7 (Python, Java, .NET)", null), 190);
        port = p.labelled("Socket port", field("", "socket_port"), 50);
        p.check("Use negative numbers to bind automatic orders", true, null);
        createLog = p.check("Create API message log file", false, "create_api_log");
        includeMd = p.check("Include market data in API log file", false, "include_market_data");
        p.check("Expose entire trading schedule to API", true, null);
        p.check("Split Insured Deposit from Cash Balance", false, null);
        p.check("Send zero positions for today's opening positions only", false, null);
        p.check("Use Account Groups with Allocation Methods", true, null);
        logLevel = p.labelled("Logging Level", combo(new String[] {"System", "Error", "Warning", "Information", "Detail"},
                "Error", "logging_level"), 100);
        masterId = p.labelled("Master API client ID", field("", "master_client_id"), 60);
        p.labelled("Timeout to send bulk data to API", field("30", null), 30);
        p.labelled("Component Exch. Separator", field("", null), 50);
        p.check("Show Forex data in 1/10 pips", true, null);
        p.check("Round Account values to nearest whole number", false, null);
        p.check("Send market data in lots for US stocks for dual-mode API clients", false, "send_lots_us_stocks");
        p.check("Show advanced order reject in UI always", false, null);
        p.check("Reject messages above maximum allowed message rate vs applying pacing", false, null);
        p.section("Orders");
        p.labelled("Option exercise requests are", combo(new String[] {"editable until cutoff time (varies by clearing house)",
                "not editable"}, "editable until cutoff time (varies by clearing house)", null), 300);
        JButton reset = new DarkDialog.DarkButton("Reset API order ID sequence");
        Theme.role(reset, "reset_order_ids");
        reset.addActionListener(e -> g.events.event("click", "role", "reset_order_ids", "screen", "settings"));
        p.put(reset, p.x0, reset.getPreferredSize().width, 27);
        p.section("Trusted IPs");
        localhostOnly = p.check("Allow connections from localhost only", true, "localhost_only");
        trustedList = new JList<>(trusted);
        trustedList.setFont(Theme.font(12));
        trustedList.setFixedCellHeight(16);
        Theme.role(trustedList, "trusted_ips");
        JScrollPane tsp = new JScrollPane(trustedList);
        tsp.setBorder(BorderFactory.createLineBorder(Color.BLACK));
        int ly = p.y;
        p.put(tsp, p.x0, 200, 70);
        JButton create = new DarkDialog.DarkButton("Create");
        Theme.role(create, "trusted_ips_create");
        create.setBounds(p.x0 + 210, ly, 80, 27);
        create.addActionListener(e -> {
            g.events.event("click", "role", "trusted_ips_create", "screen", "settings");
            askIp();
        });
        p.rows.add(create);
        JButton remove = new DarkDialog.DarkButton("Remove");
        Theme.role(remove, "trusted_ips_remove");
        remove.setBounds(p.x0 + 210, ly + 32, 80, 27);
        remove.addActionListener(e -> {
            g.events.event("click", "role", "trusted_ips_remove", "screen", "settings");
            int i = trustedList.getSelectedIndex();
            if (i >= 0) trusted.remove(i);
        });
        p.rows.add(remove);
        return p;
    }

    void askIp() {
        DarkDialog d = new DarkDialog(this, "Trusted IP Address", "trusted_ip_entry");
        JPanel b = new JPanel(new FlowLayout(FlowLayout.CENTER, 8, 20));
        b.setBackground(Theme.DIALOG_BODY);
        b.add(Theme.label("IP address:", 13, Color.WHITE));
        JTextField f = field("", "trusted_ip_input");
        f.setPreferredSize(new Dimension(140, 20));
        b.add(f);
        d.setBody(b);
        d.addButton("OK", "ok_button", () -> {
            String ip = f.getText().trim();
            if (!ip.isEmpty() && !trusted.contains(ip)) trusted.addElement(ip);
            d.close();
        });
        d.addButton("Cancel", "cancel_button", d::close);
        d.setSize(320, 150);
        d.showCentredOn(this);
        f.requestFocusInWindow();
    }

    JComponent lockAndExitPage() {
        Page p = new Page("Lock and Exit");
        p.section("Auto Logoff Timer");
        timeLabel = Theme.label("Set Auto Log Off Time (HH:MM)", 12, Color.WHITE);
        p.put(timeLabel, p.x0, 400, 18);
        p.y += 4;
        int ry = p.y;
        logoffTime = field("", "auto_logoff_time");
        logoffTime.setHorizontalAlignment(JTextField.CENTER);
        logoffTime.setBounds(p.x0, ry, 62, 18);
        p.rows.add(logoffTime);
        am = new Radio("AM", "auto_logoff_am");
        pm = new Radio("PM", "auto_logoff_pm");
        ButtonGroup ampm = new ButtonGroup();
        ampm.add(am);
        ampm.add(pm);
        am.setBounds(p.x0 + 76, ry, am.getPreferredSize().width, 18);
        pm.setBounds(p.x0 + 76 + 52 + (drift ? 10 : 0), ry, pm.getPreferredSize().width, 18);
        p.rows.add(am);
        p.rows.add(pm);
        p.y = ry + 30;
        autoLogoff = new Radio("Auto logoff", "auto_logoff");
        autoRestart = new Radio("Auto restart", "auto_restart");
        ButtonGroup mode = new ButtonGroup();
        mode.add(autoLogoff);
        mode.add(autoRestart);
        p.put(autoLogoff, p.x0 + 4, autoLogoff.getPreferredSize().width, 18);
        p.y += 10;
        p.put(autoRestart, p.x0 + 4, autoRestart.getPreferredSize().width, 18);
        p.y += 34;
        statusLine = Theme.label("", 12, Color.WHITE);
        p.put(statusLine, p.x0, 500, 18);
        ActionListener upd = e -> updateLockText();
        for (Radio r : new Radio[] {am, pm, autoLogoff, autoRestart}) r.addActionListener(upd);
        logoffTime.getDocument().addDocumentListener(new javax.swing.event.DocumentListener() {
            public void insertUpdate(javax.swing.event.DocumentEvent e) { updateLockText(); }
            public void removeUpdate(javax.swing.event.DocumentEvent e) { updateLockText(); }
            public void changedUpdate(javax.swing.event.DocumentEvent e) { updateLockText(); }
        });
        return p;
    }

    void updateLockText() {
        if (statusLine == null) return;
        boolean restart = autoRestart.isSelected();
        timeLabel.setText(restart ? "Set Auto Restart Time (HH:MM)" : "Set Auto Log Off Time (HH:MM)");
        String t = logoffTime.getText().trim() + " " + (pm.isSelected() ? "PM" : "AM");
        statusLine.setText(restart ? "The application will automatically restart at " + t
                : "The application will automatically log out at " + t);
    }

    /** White 13-px circle with a black dot when selected, 12-px white text 18 px right (logoff reference). */
    static final class Radio extends JRadioButton {
        Radio(String text, String role) {
            super(text);
            setFont(Theme.font(12));
            setOpaque(false);
            setFocusPainted(false);
            Theme.role(this, role);
            putClientProperty("ibga.indicator", new Rectangle(1, 2, 14, 14)); // the circle paintComponent draws
        }

        @Override public Dimension getPreferredSize() {
            return new Dimension(20 + getFontMetrics(getFont()).stringWidth(getText()) + 2, 18);
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D gr = (Graphics2D) g0.create();
            gr.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            gr.setColor(Color.WHITE);
            gr.fillOval(1, 2, 13, 13);
            gr.setColor(new Color(60, 60, 60));
            gr.drawOval(1, 2, 13, 13);
            if (isSelected()) {
                gr.setColor(Color.BLACK);
                gr.fillOval(4, 5, 7, 7);
            }
            gr.setFont(getFont());
            Theme.drawText(gr, getText(), 20, 14, Color.WHITE, Theme.Aa.OFF);
            if (isFocusOwner()) {
                gr.setColor(new Color(200, 200, 200));
                gr.drawRect(18, 0, getWidth() - 19, 17);
            }
            gr.dispose();
        }
    }

    /** Checkbox as in the main window: 10x10 white box with a grey edge, black tick, 12-px white text. */
    static final class Check extends JCheckBox {
        Check(String text) {
            super(text);
            setFont(Theme.font(12));
            setOpaque(false);
            setFocusPainted(false);
            putClientProperty("ibga.indicator", new Rectangle(0, 4, 10, 10)); // the box paintComponent draws
        }

        @Override public Dimension getPreferredSize() {
            return new Dimension(18 + getFontMetrics(getFont()).stringWidth(getText()) + 2, 18);
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D gr = (Graphics2D) g0.create();
            gr.setColor(new Color(128, 128, 128));
            gr.fillRect(0, 4, 10, 10);
            gr.setColor(Color.WHITE);
            gr.fillRect(1, 5, 8, 8);
            if (isSelected()) {
                gr.setColor(Color.BLACK);
                gr.drawLine(2, 8, 4, 10);
                gr.drawLine(2, 9, 4, 11);
                gr.drawLine(4, 10, 8, 6);
                gr.drawLine(4, 11, 8, 7);
            }
            if (isFocusOwner()) {
                gr.setColor(new Color(200, 200, 200));
                gr.drawRect(16, 0, getWidth() - 17, 17);
            }
            gr.setFont(getFont());
            Theme.drawText(gr, getText(), 18, 14, isEnabled() ? Color.WHITE : Color.LIGHT_GRAY, Theme.Aa.OFF);
            gr.dispose();
        }
    }

    /** The dialog's own title bar: #111 with the 11-px title and a close cross that cancels. */
    final class TitleBar extends JComponent {
        final String title;
        Point drag;

        TitleBar(String title) {
            this.title = title;
            MouseAdapter ma = new MouseAdapter() {
                @Override public void mousePressed(MouseEvent e) {
                    if (e.getX() > getWidth() - 22) close();
                    else drag = e.getPoint();
                }
                @Override public void mouseReleased(MouseEvent e) { drag = null; }
                @Override public void mouseDragged(MouseEvent e) {
                    if (drag == null) return;
                    Point p = SettingsDialog.this.getLocation();
                    SettingsDialog.this.setLocation(p.x + e.getX() - drag.x, p.y + e.getY() - drag.y);
                }
            };
            addMouseListener(ma);
            addMouseMotionListener(ma);
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D gr = (Graphics2D) g0.create();
            gr.setColor(Theme.TITLE_BG);
            gr.fillRect(0, 0, getWidth(), getHeight());
            gr.setFont(Theme.fontExact(11));
            Theme.drawText(gr, title, 8, 15, Color.WHITE, Theme.Aa.OFF);
            gr.setColor(new Color(117, 117, 117));
            int x = getWidth() - 16;
            gr.drawLine(x - 4, 7, x + 4, 15);
            gr.drawLine(x - 4, 15, x + 4, 7);
            gr.dispose();
        }
    }

    // ---------------------------------------------------------------- values

    void loadValues() {
        readOnly.setSelected(Boolean.parseBoolean(s.get("read_only_api")));
        port.setText(s.get("api_port"));
        createLog.setSelected(Boolean.parseBoolean(s.get("create_api_log")));
        includeMd.setSelected(Boolean.parseBoolean(s.get("include_market_data")));
        logLevel.setSelectedItem(s.get("logging_level").isEmpty() ? "Error" : s.get("logging_level"));
        masterId.setText(s.get("master_client_id"));
        localhostOnly.setSelected(Boolean.parseBoolean(s.get("localhost_only")));
        trusted.clear();
        for (String ip : s.get("trusted_ips").split(",")) if (!ip.trim().isEmpty()) trusted.addElement(ip.trim());
        logoffTime.setText(s.get("auto_logoff_time"));
        (s.get("auto_logoff_ampm").equalsIgnoreCase("AM") ? am : pm).setSelected(true);
        ("restart".equalsIgnoreCase(s.get("auto_mode")) ? autoRestart : autoLogoff).setSelected(true);
        updateLockText();
    }

    Map<String, String> values() {
        Map<String, String> v = new LinkedHashMap<>();
        v.put("read_only_api", String.valueOf(readOnly.isSelected()));
        v.put("api_port", port.getText().trim());
        v.put("create_api_log", String.valueOf(createLog.isSelected()));
        v.put("include_market_data", String.valueOf(includeMd.isSelected()));
        v.put("logging_level", String.valueOf(logLevel.getSelectedItem()));
        v.put("master_client_id", masterId.getText().trim());
        v.put("localhost_only", String.valueOf(localhostOnly.isSelected()));
        List<String> ips = new ArrayList<>();
        for (int i = 0; i < trusted.size(); i++) ips.add(trusted.get(i));
        v.put("trusted_ips", String.join(",", ips));
        v.put("auto_logoff_time", logoffTime.getText().trim());
        v.put("auto_logoff_ampm", pm.isSelected() ? "PM" : "AM");
        v.put("auto_mode", autoRestart.isSelected() ? "restart" : "logoff");
        return v;
    }

    /** Validates, writes the changed settings, logs settings_applied, restarts the API on a new port, shows the
     *  auto-restart notice when restart mode was chosen. False (and a message) when a value is invalid. */
    boolean apply() {
        Map<String, String> v = values();
        String err = null;
        try {
            int p = Integer.parseInt(v.get("api_port"));
            if (p < 1 || p > 65535) err = "Socket port must be between 1 and 65535.";
        } catch (NumberFormatException e) {
            err = "Socket port must be a number.";
        }
        if (err == null && !v.get("master_client_id").isEmpty()) {
            try { Integer.parseInt(v.get("master_client_id")); } catch (NumberFormatException e) { err = "Master API client ID must be a number."; }
        }
        if (err == null && !v.get("auto_logoff_time").matches("(0?[1-9]|1[0-2]):[0-5][0-9]")) {
            err = "Auto logoff time must be HH:MM (12-hour clock).";
        }
        if (err != null) {
            DarkDialog d = new DarkDialog(this, drift ? "IB Gateway" : "IBKR Gateway", "generic_gateway_message");
            d.setBody(DarkDialog.messageBody(err));
            d.addButton("OK", "ok_button", d::close);
            d.setSize(380, 150);
            d.showCentredOn(this);
            return false;
        }
        Map<String, String> changed = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : v.entrySet()) {
            if (!e.getValue().equals(s.get(e.getKey()))) changed.put(e.getKey(), e.getValue());
        }
        for (Map.Entry<String, String> e : changed.entrySet()) s.set(e.getKey(), e.getValue());
        s.save();
        g.events.event("settings_applied", "changed", changed, "panel", panel);
        MainWindow mw = g.mainWindow();
        if (mw != null && !changed.isEmpty()) mw.appendLog("Configuration changed: " + String.join(", ", changed.keySet()));
        if (changed.containsKey("api_port") && g.apiRunning()) {
            g.stopApi();
            g.startApi();
        }
        boolean autoChanged = changed.containsKey("auto_mode") || changed.containsKey("auto_logoff_time")
                || changed.containsKey("auto_logoff_ampm");
        if (autoChanged && "restart".equals(v.get("auto_mode"))) {
            // the real notice pops up with a short delay (IBGA sleeps 1 s before looking for it)
            javax.swing.Timer t = new javax.swing.Timer(400, e -> ApplyNoticeDialog.open(g, isVisible() ? this : owner));
            t.setRepeats(false);
            t.start();
        }
        return true;
    }
}
