package replica;

import java.awt.*;
import java.awt.event.*;
import java.awt.geom.AffineTransform;
import java.util.*;
import java.util.List;
import javax.swing.*;
import javax.swing.plaf.basic.BasicScrollBarUI;
import javax.swing.table.*;

/** The logged-in gateway window (CATALOG §2.32), measured on reference paper_warning_accept (700x550 at
 *  (162,109), 2-px black frame edge, 20-px title bar with the IBKRPRO logo and the menus, a grey #808285
 *  body with the "Connection Status" table, the Show log / Show API messages checkboxes, the log panel and
 *  "Clear"). All geometry is absolute (null layouts) because the pixels are the contract. */
public class MainWindow extends JFrame {
    public static final int W = 700, H = 550;
    static final Color BODY = new Color(128, 130, 133);
    static final Color GREEN = new Color(0, 170, 0);
    static final Color YELLOW = new Color(255, 200, 0);
    static final Color RED = new Color(255, 0, 0);
    static final Color MENU_FG = new Color(180, 180, 180);
    static final Color LOG_BG = new Color(32, 34, 37);
    static final Color LOGO_RED = new Color(255, 48, 63);

    final Gateway gw;
    final boolean drift;
    final Color body, green;
    /** Drift offsets: a newer build moves the content down/right by tens of pixels. */
    final int dx, dy;

    private final TitleBar titleBar;
    private final StatusModel status = new StatusModel();
    private final JTable table;
    private final JTableHeader header;
    private final DarkCheck showLog, showApi;
    private final LogPanel logPanel;
    private String apiStatus = "disconnected";
    private boolean lastApiRunning;
    private final javax.swing.Timer apiWatch;

    public MainWindow(Gateway g) {
        super(g != null && g.drift ? "IB Gateway" : "IBKR Gateway");
        this.gw = g;
        this.drift = g != null && g.drift;
        body = drift ? new Color(120, 123, 128) : BODY;
        green = drift ? new Color(0, 160, 40) : GREEN;
        dx = drift ? 0 : 0;
        dy = drift ? 20 : 0;
        setUndecorated(true);
        setSize(W, H);
        Theme.screen(this, "main_window");
        setDefaultCloseOperation(DO_NOTHING_ON_CLOSE);
        addWindowListener(new WindowAdapter() {
            @Override public void windowClosing(WindowEvent e) { confirmExit(); }
        });

        JPanel root = new JPanel(null);
        root.setBackground(Color.BLACK);
        setContentPane(root);

        titleBar = new TitleBar(drift ? "IB GATEWAY" : "IBKR GATEWAY");
        titleBar.setBounds(2, 2, 696, 20);
        root.add(titleBar);

        JPanel content = new JPanel(null) {
            @Override protected void paintComponent(Graphics g0) {
                super.paintComponent(g0);
                Graphics2D g = (Graphics2D) g0;
                // "Connection Status" (12 px bold) and the white rule to its right
                g.setFont(Theme.bold(12));
                String t = "Connection Status";
                Theme.drawText(g, t, 2 + dx, 12 + dy, Color.WHITE, Theme.Aa.OFF);
                int x0 = 2 + dx + g.getFontMetrics().stringWidth(t) + 5;
                g.setColor(Color.WHITE);
                g.drawLine(x0, 8 + dy, 684, 8 + dy);
            }
        };
        content.setBackground(body);
        content.setBounds(4, 23, 692, 523);
        root.add(content);

        table = new JTable(status);
        table.setFont(Theme.font(12));
        table.setRowHeight(23);
        table.setShowGrid(false);
        table.setIntercellSpacing(new Dimension(0, 0));
        table.setFocusable(false);
        table.setRowSelectionAllowed(false);
        table.setBackground(body);
        table.setDefaultRenderer(Object.class, new CellRenderer(false));
        Theme.role(table, "connection_status");
        header = table.getTableHeader();
        header.setDefaultRenderer(new CellRenderer(true));
        header.setReorderingAllowed(false);
        header.setResizingAllowed(false);
        header.setBackground(body);
        content.add(header);
        content.add(table);

        showLog = new DarkCheck("Show log", "show_log");
        showApi = new DarkCheck(drift ? "Show API Messages" : "Show API messages", "show_api_messages");
        content.add(showLog);
        content.add(showApi);

        logPanel = new LogPanel();
        content.add(logPanel);
        showLog.addActionListener(e -> {
            event("click", "role", "show_log", "selected", showLog.isSelected());
            logPanel.refreshTabs();
        });
        showApi.addActionListener(e -> {
            event("click", "role", "show_api_messages", "selected", showApi.isSelected());
            logPanel.refreshTabs();
        });
        layoutContent();

        lastApiRunning = g != null && g.apiRunning();
        apiStatus = lastApiRunning ? "connected" : "disconnected";
        status.setStatus(0, apiStatus);
        Theme.state(this, "api_server", apiStatus);
        // The API server is started/stopped by Gateway and SettingsDialog; follow it so the row is always right.
        apiWatch = new javax.swing.Timer(300, e -> {
            boolean r = gw != null && gw.apiRunning();
            if (r != lastApiRunning) {
                lastApiRunning = r;
                setApiStatus(r ? "connected" : "disconnected");
            }
        });
        apiWatch.start();

        // Ctrl-Alt-R / Ctrl-Alt-F reconnect shortcuts exist in the real gateway; here they only log.
        getRootPane().registerKeyboardAction(e -> appendLog("Reconnect account requested"),
                KeyStroke.getKeyStroke(KeyEvent.VK_R, InputEvent.CTRL_DOWN_MASK | InputEvent.ALT_DOWN_MASK),
                JComponent.WHEN_IN_FOCUSED_WINDOW);
        getRootPane().registerKeyboardAction(e -> appendLog("Reconnect data farms requested"),
                KeyStroke.getKeyStroke(KeyEvent.VK_F, InputEvent.CTRL_DOWN_MASK | InputEvent.ALT_DOWN_MASK),
                JComponent.WHEN_IN_FOCUSED_WINDOW);
    }

    /** Places the table, the checkboxes and the log panel for the current number of status rows. */
    private void layoutContent() {
        int rows = status.getRowCount();
        int tx = 2 + dx, ty = 17 + dy; // table top border at y=17 (screen 149 with the window at 162,109)
        header.setBounds(tx, ty, 688, 23);
        table.setBounds(tx, ty + 23, 688, 23 * rows);
        int cy = ty + 23 + 23 * rows; // checkbox row: 18 px under the table
        showLog.setBounds(3 + dx, cy, showLog.getPreferredSize().width, 18);
        showApi.setBounds(105 + dx + (drift ? 20 : 0), cy, showApi.getPreferredSize().width, 18);
        int ly = cy + 18;
        logPanel.setBounds(0, ly, 692, 523 - ly);
        logPanel.doLayout();
        repaint();
    }

    public void showWindow() {
        Theme.place(this, gw != null ? gw.scenario.windowPosition : null);
        if (gw != null) gw.register(this);
        setVisible(true);
        toFront();
        event("window_shown", "screen", "main_window", "title", getTitle());
        appendLog("Gateway main window shown");
    }

    /** Status text of the "Interactive Brokers API Server" row: green when connected, yellow while
     *  (re)connecting, red when disconnected; also the window state api_server. */
    public void setApiStatus(String s) {
        Runnable r = () -> {
            apiStatus = s == null ? "" : s;
            status.setStatus(0, apiStatus);
            Theme.state(this, "api_server", apiStatus);
            ViewLogsDialog.appendLine(gw, "API", "API server status: " + apiStatus);
        };
        if (SwingUtilities.isEventDispatchThread()) r.run(); else SwingUtilities.invokeLater(r);
    }

    public String apiStatus() { return apiStatus; }

    /** Sets (or adds) a connection row, e.g. ("API Client", "disconnected"); colour follows the text. */
    public void setRow(String purpose, String statusText) {
        Runnable r = () -> {
            status.setRow(purpose, statusText);
            layoutContent();
        };
        if (SwingUtilities.isEventDispatchThread()) r.run(); else SwingUtilities.invokeLater(r);
    }

    /** A gateway log line: shown in the Log tab and written to today's gateway log file. */
    public void appendLog(String line) {
        String stamped = ViewLogsDialog.appendLine(gw, "Gateway", line);
        Runnable r = () -> logPanel.append("Log", stamped);
        if (SwingUtilities.isEventDispatchThread()) r.run(); else SwingUtilities.invokeLater(r);
    }

    /** An API message of one client (for the "Client N" tab, visible with Show API messages). */
    public void apiMessage(int clientId, String line) {
        String stamped = ViewLogsDialog.appendLine(gw, "API", "client " + clientId + " " + line);
        Runnable r = () -> {
            logPanel.append("Client " + clientId, stamped);
            logPanel.refreshTabs();
        };
        if (SwingUtilities.isEventDispatchThread()) r.run(); else SwingUtilities.invokeLater(r);
    }

    void event(String name, Object... kv) {
        if (gw != null) {
            Object[] all = Arrays.copyOf(kv, kv.length + 2);
            all[kv.length] = "screen";
            all[kv.length + 1] = "main_window";
            gw.events.event(name, all);
        }
    }

    void confirmExit() {
        DarkDialog d = new DarkDialog(this, drift ? "Exit" : "Exit Confirmation", "exit_confirmation");
        d.setBody(DarkDialog.messageBody("Are you sure you want to exit?"));
        d.addButton("Yes", "yes_button", () -> {
            d.close();
            if (gw != null) gw.requestExit(0, "file_close");
            else System.exit(0);
        });
        d.addButton("No", "no_button", d::close);
        d.setSize(360, 160);
        d.showCentredOn(this);
    }

    // ---------------------------------------------------------------- title bar and menus

    /** 20-px title bar: IBKRPRO logo (ink at x 5..100), the upper-case title at x=111, menus from x=204,
     *  minimise / maximise / close glyphs at the right (measured). */
    final class TitleBar extends JPanel {
        final String title;
        Point drag;

        TitleBar(String title) {
            super(null);
            this.title = title;
            setBackground(Theme.TITLE_BG);
            JMenuBar mb = new JMenuBar() {
                @Override protected void paintComponent(Graphics g) {
                    g.setColor(Theme.TITLE_BG);
                    g.fillRect(0, 0, getWidth(), getHeight());
                }
            };
            mb.setBorder(BorderFactory.createEmptyBorder());
            mb.setBorderPainted(false);
            mb.setOpaque(true);
            mb.setLayout(new BoxLayout(mb, BoxLayout.X_AXIS));
            TopMenu file = new TopMenu("File", 'F', "menu.file");
            file.add(item("Gateway Logs", "menu.file.gateway_logs", () -> openLogs("Gateway")));
            file.add(item("API Logs", "menu.file.api_logs", () -> openLogs("API")));
            if (drift) {
                JMenu layout = new SubMenu("Gateway Layout/Settings", "menu.file.layout");
                layout.add(item("Save Settings", "menu.file.layout.save", () -> appendLog("Settings saved")));
                file.add(layout);
            }
            file.add(item("Close", "menu.file.close", MainWindow.this::confirmExit));
            TopMenu conf = new TopMenu("Configure", 'C', "menu.configure");
            conf.add(item("Settings", "menu.configure.settings", MainWindow.this::openSettings));
            DarkMenuItem enc = item("Automatic Encryption", "menu.configure.encryption", null);
            enc.checkable = true;
            enc.setSelected(true);
            enc.addActionListener(e -> enc.setSelected(!enc.isSelected()));
            conf.add(enc);
            TopMenu help = new TopMenu("Help", 'H', "menu.help");
            help.add(item(drift ? "About IB Gateway" : "About Gateway", "menu.help.about", MainWindow.this::openAbout));
            help.add(item("Redundant Backup Status", "menu.help.backup_status", null));
            mb.add(file);
            mb.add(conf);
            mb.add(help);
            int mx = 204 + (drift ? 10 : 0);
            int mw = file.getPreferredSize().width + conf.getPreferredSize().width + help.getPreferredSize().width;
            mb.setBounds(mx, 0, mw, 20);
            add(mb);
            MouseAdapter ma = new MouseAdapter() {
                @Override public void mousePressed(MouseEvent e) {
                    int b = glyphAt(e.getX());
                    if (b == 0) confirmExit();
                    else if (b < 0) drag = e.getPoint();
                }
                @Override public void mouseReleased(MouseEvent e) { drag = null; }
                @Override public void mouseDragged(MouseEvent e) {
                    if (drag == null) return;
                    Point p = MainWindow.this.getLocation();
                    MainWindow.this.setLocation(p.x + e.getX() - drag.x, p.y + e.getY() - drag.y);
                }
            };
            addMouseListener(ma);
            addMouseMotionListener(ma);
        }

        /** 0 close, 1 maximise, 2 minimise, -1 elsewhere (cells 22 px wide from x=w-25). */
        int glyphAt(int x) {
            int r = getWidth() - 3 - x;
            if (r < 0 || r >= 66) return -1;
            return r / 22;
        }

        @Override protected void paintComponent(Graphics g0) {
            super.paintComponent(g0);
            Graphics2D g = (Graphics2D) g0.create();
            paintLogo(g, 5, 18);
            g.setFont(Theme.fontExact(11));
            Theme.drawText(g, title, 110, 14, Theme.TITLE_FG, Theme.Aa.OFF);
            int w = getWidth();
            g.setColor(new Color(117, 117, 117));
            // minimise: a 12x2 bar at the bottom (x w-63..w-52, y 14..15)
            g.fillRect(w - 63, 14, 12, 2);
            // maximise: four corner brackets of a 12x12 square (x w-41..w-30, y 4..15)
            int bx = w - 41, by = 4;
            int[][] c = {{0, 0, 1, 1}, {11, 0, -1, 1}, {0, 11, 1, -1}, {11, 11, -1, -1}};
            for (int[] k : c) {
                int x = bx + k[0], y = by + k[1];
                g.drawLine(x, y, x + 3 * k[2], y);
                g.drawLine(x, y, x, y + 3 * k[3]);
            }
            // close: an X of 12x12 (x w-19..w-8, y 4..15), drawn two px thick
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setStroke(new BasicStroke(1.3f));
            g.draw(new java.awt.geom.Line2D.Double(w - 18.5, 4.5, w - 7.5, 15.5));
            g.draw(new java.awt.geom.Line2D.Double(w - 18.5, 15.5, w - 7.5, 4.5));
            g.dispose();
        }
    }

    /** The "IBKRPRO" word mark: bold, slightly condensed, IBKR white and PRO red, grayscale AA; its ink spans
     *  96x16 px from (x, baseline-16). */
    static void paintLogo(Graphics2D g0, int x, int baseline) {
        Graphics2D g = (Graphics2D) g0.create();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        Font f = Theme.fontExact(22).deriveFont(Font.BOLD);
        FontMetrics fm = g.getFontMetrics(f);
        int full = fm.stringWidth("IBKRPRO");
        double sx = 98.0 / full;
        f = f.deriveFont(AffineTransform.getScaleInstance(sx, 1.0));
        g.setFont(f);
        fm = g.getFontMetrics(f);
        g.setColor(Color.WHITE);
        g.drawString("IBKR", x - 1, baseline);
        int w1 = fm.stringWidth("IBKR");
        g.setColor(LOGO_RED);
        g.drawString("PRO", x - 1 + w1, baseline);
        g.dispose();
    }

    DarkMenuItem item(String text, String role, Runnable r) {
        DarkMenuItem it = new DarkMenuItem(text);
        Theme.role(it, role);
        it.addActionListener(e -> {
            event("click", "role", role);
            if (r != null) r.run();
        });
        return it;
    }

    void openLogs(String kind) {
        SwingUtilities.invokeLater(() -> new ViewLogsDialog(gw, this, kind).open());
    }

    void openSettings() {
        SwingUtilities.invokeLater(() -> new SettingsDialog(gw, this).open());
    }

    void openAbout() {
        DarkDialog d = new DarkDialog(this, drift ? "About IB Gateway" : "About Gateway", "about_gateway");
        d.setBody(DarkDialog.messageBody(drift ? "IB Gateway" : "IBKR Gateway", "Build 10.45.1j, Dec 3, 2025 (replica)",
                "Copyright Interactive Brokers LLC"));
        d.addButton("OK", "ok_button", d::close);
        d.setSize(380, 180);
        d.showCentredOn(this);
    }

    /** Top-level menu: 11-px #b4b4b4 text (AA off) with the mnemonic underlined one px under the baseline,
     *  6 px padding left and 7 right, highlighted while open. */
    final class TopMenu extends JMenu {
        TopMenu(String text, char mnemonic, String role) {
            super(text);
            setMnemonic(mnemonic);
            setFont(Theme.fontExact(11));
            setForeground(MENU_FG);
            setOpaque(false);
            setBorder(BorderFactory.createEmptyBorder());
            Theme.role(this, role);
            JPopupMenu p = getPopupMenu();
            p.setBorder(BorderFactory.createLineBorder(new Color(90, 90, 90)));
            p.setBackground(new Color(34, 34, 34));
            addMenuListener(new javax.swing.event.MenuListener() {
                @Override public void menuSelected(javax.swing.event.MenuEvent e) { event("menu_opened", "role", role); }
                @Override public void menuDeselected(javax.swing.event.MenuEvent e) {}
                @Override public void menuCanceled(javax.swing.event.MenuEvent e) {}
            });
        }

        @Override public Dimension getPreferredSize() {
            FontMetrics fm = getFontMetrics(getFont());
            return new Dimension(fm.stringWidth(getText()) + 13 + (drift ? 4 : 0), 20);
        }

        @Override public Dimension getMaximumSize() { return getPreferredSize(); }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0;
            g.setColor(isSelected() ? new Color(60, 60, 60) : Theme.TITLE_BG);
            g.fillRect(0, 0, getWidth(), getHeight());
            g.setFont(getFont());
            Color fg = isSelected() ? Color.WHITE : MENU_FG;
            Theme.drawText(g, getText(), 6, 14, fg, Theme.Aa.OFF);
            FontMetrics fm = g.getFontMetrics();
            int uw = fm.charWidth(getText().charAt(0));
            g.setColor(fg);
            g.drawLine(6, 15, 6 + uw - 1, 15);
        }
    }

    /** Dark popup menu item: 22 px high, 11-px text at x=24, highlighted while armed; check mark if checkable. */
    static class DarkMenuItem extends JMenuItem {
        boolean checkable;

        DarkMenuItem(String text) {
            super(text);
            setFont(Theme.fontExact(11));
            setForeground(new Color(220, 220, 220));
            setBackground(new Color(34, 34, 34));
            setBorder(BorderFactory.createEmptyBorder());
        }

        @Override public Dimension getPreferredSize() {
            FontMetrics fm = getFontMetrics(getFont());
            return new Dimension(Math.max(150, fm.stringWidth(getText()) + 48), 22);
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0;
            boolean hi = getModel().isArmed() || getModel().isSelected() && !checkable;
            g.setColor(hi ? new Color(58, 98, 150) : getBackground());
            g.fillRect(0, 0, getWidth(), getHeight());
            g.setFont(getFont());
            Theme.drawText(g, getText(), 24, 15, isEnabled() ? getForeground() : Color.GRAY, Theme.Aa.OFF);
            if (checkable && isSelected()) {
                g.setColor(getForeground());
                g.drawLine(8, 11, 11, 14);
                g.drawLine(11, 14, 16, 7);
                g.drawLine(8, 12, 11, 15);
                g.drawLine(11, 15, 16, 8);
            }
        }
    }

    /** A submenu styled like DarkMenuItem (drift's File ▸ Gateway Layout/Settings). */
    static class SubMenu extends JMenu {
        SubMenu(String text, String role) {
            super(text);
            setFont(Theme.fontExact(11));
            setForeground(new Color(220, 220, 220));
            Theme.role(this, role);
            getPopupMenu().setBorder(BorderFactory.createLineBorder(new Color(90, 90, 90)));
        }

        @Override public Dimension getPreferredSize() {
            FontMetrics fm = getFontMetrics(getFont());
            return new Dimension(Math.max(150, fm.stringWidth(getText()) + 48), 22);
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0;
            g.setColor(isSelected() ? new Color(58, 98, 150) : new Color(34, 34, 34));
            g.fillRect(0, 0, getWidth(), getHeight());
            g.setFont(getFont());
            Theme.drawText(g, getText(), 24, 15, getForeground(), Theme.Aa.OFF);
            g.setColor(getForeground());
            int x = getWidth() - 12;
            g.fillPolygon(new int[] {x, x + 4, x}, new int[] {7, 11, 15}, 3);
        }
    }

    // ---------------------------------------------------------------- connection table

    /** Rows Purpose/Status; the colour follows the status text. */
    static final class StatusModel extends AbstractTableModel {
        final List<String[]> rows = new ArrayList<>();

        StatusModel() {
            rows.add(new String[] {"Interactive Brokers API Server", "disconnected"});
            rows.add(new String[] {"Market Data Farm", "ON: usfarm"});
            rows.add(new String[] {"Historical Data Farm", "ON: ushmds"});
        }

        void setStatus(int row, String s) {
            rows.get(row)[1] = s;
            fireTableRowsUpdated(row, row);
        }

        void setRow(String purpose, String s) {
            for (int i = 0; i < rows.size(); i++) {
                if (rows.get(i)[0].equals(purpose)) {
                    setStatus(i, s);
                    return;
                }
            }
            rows.add(new String[] {purpose, s});
            fireTableDataChanged();
        }

        @Override public int getRowCount() { return rows.size(); }
        @Override public int getColumnCount() { return 2; }
        @Override public String getColumnName(int c) { return c == 0 ? "Purpose" : "Status"; }
        @Override public Object getValueAt(int r, int c) { return rows.get(r)[c]; }
    }

    static Color colourFor(String s, Color green) {
        String t = s == null ? "" : s.toLowerCase(Locale.ROOT);
        if (t.contains("disconnected") || t.contains("not connected") || t.startsWith("off") || t.isEmpty()
                || t.contains("broken") || t.contains("error")) return RED;
        if (t.contains("inactive") || t.contains("connecting") || t.contains("waiting")) return YELLOW;
        return green;
    }

    /** Cell: 1-px black border on every side (so neighbouring cells make the 2-px lines of the reference),
     *  12-px white text centred with its baseline 16 px under the cell top, padlock in a connected API row. */
    final class CellRenderer extends JComponent implements TableCellRenderer {
        final boolean isHeader;
        String text = "";
        Color bg;
        boolean lock;

        CellRenderer(boolean isHeader) { this.isHeader = isHeader; }

        @Override public Component getTableCellRendererComponent(JTable t, Object v, boolean sel, boolean foc, int r, int c) {
            text = String.valueOf(v);
            if (isHeader) {
                bg = body;
                lock = false;
            } else {
                String st = String.valueOf(t.getModel().getValueAt(r, 1));
                bg = colourFor(st, green);
                lock = r == 0 && c == 1 && bg == green;
            }
            return this;
        }

        @Override public Dimension getPreferredSize() { return new Dimension(344, 23); }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            int w = getWidth(), h = getHeight();
            g.setColor(bg);
            g.fillRect(0, 0, w, h);
            g.setColor(Color.BLACK);
            g.drawRect(0, 0, w - 1, h - 1);
            g.setFont(Theme.font(12));
            FontMetrics fm = g.getFontMetrics();
            Theme.drawText(g, text, 1 + (w - 1 - fm.stringWidth(text)) / 2, 16, Color.WHITE, Theme.Aa.OFF);
            if (lock) paintLock(g, w - 18, 3);
            g.dispose();
        }
    }

    /** The small padlock with a green tick of the connected API row (14x16 at x, y). */
    static void paintLock(Graphics2D g0, int x, int y) {
        Graphics2D g = (Graphics2D) g0.create();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setStroke(new BasicStroke(1.6f));
        g.setColor(new Color(150, 200, 150));
        g.drawArc(x + 2, y + 1, 8, 9, 0, 180);
        g.drawLine(x + 2, y + 5, x + 2, y + 8);
        g.drawLine(x + 10, y + 5, x + 10, y + 8);
        g.setColor(new Color(236, 234, 180));
        g.fillRoundRect(x + 1, y + 7, 11, 9, 2, 2);
        g.setColor(new Color(30, 150, 40));
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(x + 7, y + 12, x + 9, y + 14);
        g.drawLine(x + 9, y + 14, x + 13, y + 9);
        g.dispose();
    }

    // ---------------------------------------------------------------- checkboxes

    /** Gateway checkbox: 10x10 box (grey 1-px edge, white inside, black tick when selected) and 12-px white
     *  text 18 px to the right; box 5 px and baseline 15 px under the top of its 18-px row. */
    final class DarkCheck extends JCheckBox {
        DarkCheck(String text, String role) {
            super(text);
            setFont(Theme.font(12));
            setOpaque(false);
            setFocusPainted(false);
            Theme.role(this, role);
            putClientProperty("ibga.indicator", new Rectangle(0, 5, 10, 10)); // the box paintComponent draws
        }

        @Override public Dimension getPreferredSize() {
            return new Dimension(18 + getFontMetrics(getFont()).stringWidth(getText()) + 2, 18);
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            g.setColor(new Color(128, 128, 128));
            g.fillRect(0, 5, 10, 10);
            g.setColor(Color.WHITE);
            g.fillRect(1, 6, 8, 8);
            if (isSelected()) {
                g.setColor(Color.BLACK);
                g.drawLine(2, 9, 4, 11);
                g.drawLine(2, 10, 4, 12);
                g.drawLine(4, 11, 8, 7);
                g.drawLine(4, 12, 8, 8);
            }
            // no focus ring: the reference shows none
            g.setFont(getFont());
            Theme.drawText(g, getText(), 17, 15, Color.WHITE, Theme.Aa.OFF);
            g.dispose();
        }
    }

    // ---------------------------------------------------------------- log panel

    /** Below the checkboxes: a black-to-grey gradient strip (12 px when hidden, 31 px holding the tabs when
     *  shown), the dark log text (#202225) with a slim scroll bar, and "Clear" centred at the bottom. */
    final class LogPanel extends JPanel {
        final LinkedHashMap<String, JTextArea> areas = new LinkedHashMap<>();
        final List<String> tabs = new ArrayList<>();
        String current = "Log";
        final JScrollPane scroll = new JScrollPane();
        final JButton clear;
        final TabStrip strip = new TabStrip();

        LogPanel() {
            super(null);
            setBackground(body);
            areas.put("Log", newArea());
            scroll.setBorder(BorderFactory.createEmptyBorder());
            scroll.getViewport().setBackground(LOG_BG);
            scroll.setHorizontalScrollBarPolicy(ScrollPaneConstants.HORIZONTAL_SCROLLBAR_NEVER);
            scroll.setVerticalScrollBarPolicy(ScrollPaneConstants.VERTICAL_SCROLLBAR_ALWAYS);
            JScrollBar sb = scroll.getVerticalScrollBar();
            sb.setPreferredSize(new Dimension(13, 10));
            sb.setUI(new BasicScrollBarUI() {
                @Override protected void configureScrollBarColors() {
                    thumbColor = new Color(50, 50, 52);
                    trackColor = body;
                    thumbHighlightColor = thumbColor;
                    thumbDarkShadowColor = thumbColor;
                    thumbLightShadowColor = thumbColor;
                    trackHighlightColor = trackColor;
                }
                @Override protected JButton createDecreaseButton(int o) { return zero(); }
                @Override protected JButton createIncreaseButton(int o) { return zero(); }
                JButton zero() {
                    JButton b = new JButton();
                    b.setPreferredSize(new Dimension(0, 0));
                    return b;
                }
            });
            scroll.setViewportView(areas.get("Log"));
            Theme.role(scroll, "log_area");
            add(strip);
            add(scroll);
            clear = new ClearButton(drift ? "Clear Log" : "Clear");
            Theme.role(clear, "clear_button");
            clear.addActionListener(e -> {
                event("click", "role", "clear_button");
                JTextArea a = areas.get(current);
                if (a != null) a.setText("");
            });
            add(clear);
        }

        JTextArea newArea() {
            JTextArea a = new JTextArea();
            a.setEditable(false);
            a.setLineWrap(true);
            a.setFont(Theme.font(12));
            a.setBackground(LOG_BG);
            a.setForeground(Color.WHITE);
            a.setBorder(BorderFactory.createEmptyBorder(1, 3, 1, 3));
            return a;
        }

        void append(String tab, String line) {
            JTextArea a = areas.computeIfAbsent(tab, k -> newArea());
            a.append(line + "\n");
            a.setCaretPosition(a.getDocument().getLength());
        }

        void refreshTabs() {
            tabs.clear();
            if (showLog.isSelected()) tabs.add("Log");
            if (showApi.isSelected()) {
                for (String k : areas.keySet()) if (!k.equals("Log")) tabs.add(k);
            }
            if (!tabs.contains(current)) current = tabs.isEmpty() ? "Log" : tabs.get(0);
            scroll.setViewportView(areas.get(current));
            doLayout();
            repaint();
        }

        @Override public void doLayout() {
            int w = getWidth(), h = getHeight();
            boolean shown = !tabs.isEmpty();
            int stripH = shown ? 31 : 12;
            strip.setBounds(0, 0, w, stripH);
            int bh = 26, bw = clear.getPreferredSize().width;
            clear.setBounds((w - bw) / 2 + (drift ? 40 : 0), h - bh - 1, bw, bh);
            scroll.setVisible(shown);
            scroll.setBounds(0, stripH, w, Math.max(0, h - bh - 1 - stripH));
        }

        /** Gradient strip with the tabs: selected tab black with bold white text, others dark grey. */
        final class TabStrip extends JComponent {
            final List<Rectangle> boxes = new ArrayList<>();

            TabStrip() {
                addMouseListener(new MouseAdapter() {
                    @Override public void mousePressed(MouseEvent e) {
                        for (int i = 0; i < boxes.size() && i < tabs.size(); i++) {
                            if (boxes.get(i).contains(e.getPoint())) {
                                current = tabs.get(i);
                                event("click", "role", "log_tab", "tab", current);
                                refreshTabs();
                            }
                        }
                    }
                });
            }

            @Override protected void paintComponent(Graphics g0) {
                Graphics2D g = (Graphics2D) g0.create();
                int w = getWidth(), h = getHeight();
                g.setPaint(new GradientPaint(0, 0, Color.BLACK, 0, h, body));
                g.fillRect(0, 0, w, h);
                boxes.clear();
                g.setFont(Theme.bold(12));
                FontMetrics fm = g.getFontMetrics();
                int x = 2;
                for (String t : tabs) {
                    int tw = Math.max(60, fm.stringWidth(t) + 34);
                    Rectangle r = new Rectangle(x, 7, tw, h - 7);
                    boxes.add(r);
                    boolean sel = t.equals(current);
                    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                    g.setColor(sel ? Color.BLACK : new Color(70, 71, 72));
                    g.fillRoundRect(r.x, r.y, r.width, r.height + 8, 12, 12);
                    g.setColor(sel ? new Color(200, 190, 120) : new Color(110, 110, 110));
                    g.drawRoundRect(r.x, r.y, r.width, r.height + 8, 12, 12);
                    Theme.drawText(g, t, r.x + 13, r.y + 17, Color.WHITE, Theme.Aa.OFF);
                    x += tw + 1;
                }
                g.dispose();
            }
        }
    }

    /** "Clear": #373737 with a 1-px darker edge, faint top gradient, 12-px white LCD text (67x26 measured). */
    static final class ClearButton extends JButton {
        ClearButton(String text) {
            super(text);
            setFont(Theme.font(12));
            setContentAreaFilled(false);
            setBorderPainted(false);
            setFocusPainted(false);
            setOpaque(false);
        }

        @Override public Dimension getPreferredSize() {
            return new Dimension(getFontMetrics(getFont()).stringWidth(getText()) + 35, 26);
        }

        @Override protected void paintComponent(Graphics g0) {
            Graphics2D g = (Graphics2D) g0.create();
            int w = getWidth(), h = getHeight();
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(getModel().isPressed() ? new Color(40, 40, 40) : new Color(55, 55, 55));
            g.fillRoundRect(0, 0, w, h, 8, 8);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
            int[] top = {51, 62, 60, 58, 56};
            for (int i = 0; i < top.length; i++) {
                g.setColor(new Color(top[i], top[i], top[i]));
                g.drawLine(i == 0 ? 3 : 2, i, w - (i == 0 ? 4 : 3), i);
            }
            g.setColor(new Color(44, 44, 44));
            g.drawLine(0, 3, 0, h - 4);
            g.drawLine(3, h - 1, w - 4, h - 1);
            if (isFocusOwner()) {
                g.setColor(Theme.FOCUS_BLUE);
                g.drawRoundRect(0, 0, w - 1, h - 1, 6, 6);
            }
            g.setFont(getFont());
            FontMetrics fm = g.getFontMetrics();
            Theme.drawText(g, getText(), (w - fm.stringWidth(getText())) / 2 + 1, 17, Color.WHITE, Theme.Aa.LCD);
            g.dispose();
        }
    }
}
