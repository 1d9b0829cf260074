import java.awt.*;
import javax.swing.*;
import javax.swing.plaf.ColorUIResource;
import javax.swing.plaf.FontUIResource;
import javax.swing.plaf.metal.DefaultMetalTheme;
import javax.swing.plaf.metal.MetalLookAndFeel;
import javax.swing.table.DefaultTableCellRenderer;
import javax.swing.table.DefaultTableModel;

/** Other applications' windows and dialogs, shown for a screenshot that is NOT an IB Gateway screen (a
 *  negative for the screen recognizer). Run as {@code java OtherApps.java SCENE LOOK [FOLDER]} on an X display;
 *  prints READY once the windows are shown.
 *  SCENE: login, workstation, wallpaper, terminal, browser (main windows); warning, info, error, confirm,
 *  progress, about, preferences, chooser, save-as, flat (dialogs; chooser and save-as list FOLDER).
 *  LOOK: dark (a dark Metal theme in grey tones close to the gateway's, DejaVu Sans, LCD text) or metal
 *  (Swing's stock Metal/Ocean). Every text is fixed and nothing shows a clock, so a scene paints the same
 *  pixels on every run. */
public class OtherApps {
    public static void main(String[] args) throws Exception {
        if (args.length < 2 || args.length > 3) throw new IllegalArgumentException("usage: OtherApps SCENE dark|metal [FOLDER]");
        String scene = args[0];
        boolean dark = Look.set(args[1]);
        String folder = args.length == 3 ? args[2] : System.getProperty("user.home");
        SwingUtilities.invokeAndWait(() -> {
            Dimension screen = Toolkit.getDefaultToolkit().getScreenSize();
            switch (scene) {
                case "login" -> { Look.wallpaper(screen, dark); login(screen, dark); }
                case "workstation" -> workstation(screen, dark);
                case "wallpaper" -> Look.wallpaper(screen, dark);
                case "terminal" -> { Look.wallpaper(screen, dark); terminal(screen); }
                case "browser" -> browser(screen, dark);
                case "warning" -> Dialogs.option(Dialogs.editor(screen), "Unsaved Changes",
                    "The document \u201cquarterly-report.txt\u201d has unsaved changes.\n"
                        + "Do you want to save them before closing?",
                    JOptionPane.WARNING_MESSAGE, new String[] {"Save", "Don't Save", "Cancel"});
                case "info" -> { Look.wallpaper(screen, dark); Dialogs.option(null, "Backup Complete",
                    "Your files were copied to the drive \u201cSHIPYARD\u201d.\n1,284 files, 3.2 GB in total.",
                    JOptionPane.INFORMATION_MESSAGE, new String[] {"OK"}); }
                case "error" -> Dialogs.option(Dialogs.editor(screen), "Cannot Open File",
                    "The file \u201cbudget-2023.ods\u201d could not be opened:\n"
                        + "it is in use by another program. Close it there and try again.",
                    JOptionPane.ERROR_MESSAGE, new String[] {"OK"});
                case "confirm" -> Dialogs.option(null, "Move to Trash",
                    "Move the 3 selected items to the Trash?", JOptionPane.QUESTION_MESSAGE,
                    new String[] {"Move to Trash", "Keep"});
                case "progress" -> { Look.wallpaper(screen, dark); Dialogs.progress(screen); }
                case "about" -> Dialogs.about(Dialogs.editor(screen));
                case "preferences" -> { Look.wallpaper(screen, dark); Dialogs.preferences(screen); }
                case "chooser" -> Dialogs.chooser(Dialogs.editor(screen), folder);
                case "save-as" -> Dialogs.saveAs(Dialogs.editor(screen), folder);
                case "flat" -> Dialogs.flat(Dialogs.editor(screen));
                default -> throw new IllegalArgumentException("unknown scene: " + scene);
            }
        });
        SwingUtilities.invokeLater(() -> System.out.println("READY"));
    }

    /** Another program's sign-in window: a brand banner at the left, the form at the right. */
    static void login(Dimension screen, boolean dark) {
        JFrame f = new JFrame("Harbor Ledger \u2014 Sign In");
        Color brand = dark ? new Color(24, 70, 78) : new Color(0, 110, 120);
        JPanel banner = new JPanel() {
            @Override protected void paintComponent(Graphics g0) {
                Graphics2D g = (Graphics2D) g0;
                g.setColor(brand);
                g.fillRect(0, 0, getWidth(), getHeight());
                g.setColor(new Color(255, 255, 255, 60));
                for (int i = 0; i < 5; i++) g.fillOval(-60 + 50 * i, getHeight() - 140 + 12 * i, 180, 180);
                g.setColor(Color.WHITE);
                g.setFont(new Font("DejaVu Serif", Font.BOLD, 24));
                g.drawString("Harbor Ledger", 24, 70);
                g.setFont(new Font("DejaVu Sans", Font.PLAIN, 13));
                g.drawString("Bookkeeping for small crews", 24, 96);
            }
        };
        banner.setPreferredSize(new Dimension(250, 10));

        JPanel form = new JPanel(new GridBagLayout());
        form.setBorder(BorderFactory.createEmptyBorder(24, 28, 18, 28));
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = 0;
        c.gridwidth = 2;
        c.anchor = GridBagConstraints.WEST;
        c.fill = GridBagConstraints.HORIZONTAL;
        c.weightx = 1;
        c.insets = new Insets(4, 0, 4, 0);
        JLabel heading = new JLabel("Sign in to your workspace");
        heading.setFont(heading.getFont().deriveFont(Font.BOLD, 17f));
        c.gridy = 0;
        form.add(heading, c);
        String[] labels = {"Username", "Password", "Workspace"};
        JComponent[] fields = {new JTextField("m.okafor", 18), new JPasswordField("tidewater", 18),
            new JComboBox<>(new String[] {"Main office", "Warehouse", "Harbour shop"})};
        for (int i = 0; i < labels.length; i++) {
            c.gridy = 1 + 2 * i;
            c.insets = new Insets(10, 0, 2, 0);
            form.add(new JLabel(labels[i]), c);
            c.gridy = 2 + 2 * i;
            c.insets = new Insets(0, 0, 2, 0);
            form.add(fields[i], c);
        }
        c.gridy = 7;
        c.insets = new Insets(8, 0, 8, 0);
        JCheckBox remember = new JCheckBox("Remember me on this computer", true);
        form.add(remember, c);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.LEFT, 0, 0));
        JButton logIn = new JButton("Log In");
        JButton cancel = new JButton("Cancel");
        buttons.add(logIn);
        buttons.add(Box.createHorizontalStrut(10));
        buttons.add(cancel);
        c.gridy = 8;
        form.add(buttons, c);
        JLabel forgot = new JLabel("<html><u>Forgot your password?</u></html>");
        forgot.setForeground(dark ? new Color(120, 180, 240) : new Color(0, 80, 170));
        c.gridy = 9;
        form.add(forgot, c);
        c.gridy = 10;
        c.weighty = 1;
        c.anchor = GridBagConstraints.SOUTHEAST;
        c.fill = GridBagConstraints.NONE;
        JLabel version = new JLabel("Version 4.2.1");
        version.setFont(version.getFont().deriveFont(10f));
        form.add(version, c);

        f.getContentPane().add(banner, BorderLayout.WEST);
        f.getContentPane().add(form, BorderLayout.CENTER);
        f.getRootPane().setDefaultButton(logIn);
        f.setSize(790, 610);  // the gateway's login frame size, centred as it is: a near miss in geometry too
        f.setLocationRelativeTo(null);
        f.setVisible(true);
    }

    /** A trading program's main window (in the manner of Trader Workstation): menus, a tool bar, a quote grid,
     *  an orders table and a status line. */
    static void workstation(Dimension screen, boolean dark) {
        JFrame f = new JFrame("Trader Workstation");
        JMenuBar bar = new JMenuBar();
        for (String m : new String[] {"File", "Edit", "View", "Trade", "Account", "Data", "Tools", "Help"}) {
            JMenu menu = new JMenu(m);
            menu.add(new JMenuItem(m + " options"));
            bar.add(menu);
        }
        f.setJMenuBar(bar);
        JToolBar tools = new JToolBar();
        tools.setFloatable(false);
        for (String t : new String[] {"Order", "Chart", "Scanner", "News", "Alerts", "Portfolio"}) tools.add(new JButton(t));
        tools.addSeparator();
        tools.add(new JLabel(" Watchlist: "));
        JComboBox<String> list = new JComboBox<>(new String[] {"Technology", "Energy", "Indices"});
        list.setMaximumSize(new Dimension(140, 26));
        tools.add(list);

        String[] columns = {"Symbol", "Last", "Change", "Chg %", "Bid", "Ask", "Volume"};
        Object[][] quotes = {
            {"AAPL", "187.44", "+1.32", "+0.71%", "187.43", "187.45", "48.2M"},
            {"MSFT", "402.10", "-2.85", "-0.70%", "402.08", "402.12", "21.7M"},
            {"NVDA", "721.33", "+14.02", "+1.98%", "721.30", "721.36", "39.9M"},
            {"AMZN", "168.59", "+0.47", "+0.28%", "168.58", "168.60", "33.1M"},
            {"GOOGL", "141.80", "-0.36", "-0.25%", "141.79", "141.81", "25.4M"},
            {"META", "468.11", "+5.90", "+1.28%", "468.05", "468.15", "15.3M"},
            {"TSLA", "193.57", "-4.12", "-2.08%", "193.55", "193.58", "92.6M"},
            {"AMD", "176.52", "+2.20", "+1.26%", "176.50", "176.53", "44.0M"},
            {"INTC", "43.21", "-0.18", "-0.41%", "43.20", "43.22", "30.8M"},
            {"ORCL", "112.64", "+0.95", "+0.85%", "112.62", "112.66", "7.1M"},
            {"CSCO", "49.87", "-0.07", "-0.14%", "49.86", "49.88", "14.9M"},
            {"ADBE", "592.40", "+3.66", "+0.62%", "592.30", "592.50", "2.8M"},
            {"CRM", "296.15", "-1.44", "-0.48%", "296.10", "296.20", "5.2M"},
            {"QCOM", "158.02", "+0.61", "+0.39%", "158.00", "158.04", "6.6M"},
        };
        JTable table = new JTable(new DefaultTableModel(quotes, columns));
        table.setRowHeight(20);
        table.setShowGrid(true);
        table.setGridColor(dark ? new Color(60, 60, 60) : new Color(210, 210, 210));
        if (dark) {
            table.setBackground(new Color(20, 20, 20));
            table.setForeground(new Color(220, 220, 220));
        }
        DefaultTableCellRenderer change = new DefaultTableCellRenderer() {
            @Override public Component getTableCellRendererComponent(JTable t, Object v, boolean s, boolean h, int r, int col) {
                Component comp = super.getTableCellRendererComponent(t, v, s, h, r, col);
                boolean up = v.toString().startsWith("+");
                comp.setForeground(up ? (dark ? new Color(80, 210, 110) : new Color(0, 130, 40))
                                      : (dark ? new Color(240, 90, 90) : new Color(190, 20, 20)));
                setHorizontalAlignment(RIGHT);
                return comp;
            }
        };
        table.getColumnModel().getColumn(2).setCellRenderer(change);
        table.getColumnModel().getColumn(3).setCellRenderer(change);
        table.setRowSelectionInterval(2, 2);

        String[] orderColumns = {"Action", "Quantity", "Symbol", "Type", "Limit", "Status"};
        Object[][] orders = {
            {"BUY", "100", "AAPL", "LMT", "186.90", "Submitted"},
            {"SELL", "50", "TSLA", "STP", "188.00", "Pre-submitted"},
            {"BUY", "20", "ADBE", "LMT", "585.00", "Filled"},
        };
        JTable orderTable = new JTable(new DefaultTableModel(orders, orderColumns));
        orderTable.setRowHeight(20);
        if (dark) {
            orderTable.setBackground(new Color(20, 20, 20));
            orderTable.setForeground(new Color(220, 220, 220));
        }
        JScrollPane quotesPane = new JScrollPane(table);
        JScrollPane ordersPane = new JScrollPane(orderTable);
        ordersPane.setBorder(BorderFactory.createTitledBorder("Orders"));
        JSplitPane split = new JSplitPane(JSplitPane.VERTICAL_SPLIT, quotesPane, ordersPane);
        split.setResizeWeight(0.7);
        JTabbedPane tabs = new JTabbedPane();
        tabs.addTab("Mosaic", split);
        tabs.addTab("Classic", new JPanel());
        tabs.addTab("Portfolio", new JPanel());
        JLabel status = new JLabel(" Market data: delayed 15 minutes  |  Orders: 3 working");
        status.setBorder(BorderFactory.createEmptyBorder(3, 4, 3, 4));

        f.getContentPane().add(tools, BorderLayout.NORTH);
        f.getContentPane().add(tabs, BorderLayout.CENTER);
        f.getContentPane().add(status, BorderLayout.SOUTH);
        f.setBounds(16, 12, screen.width - 32, screen.height - 40);
        f.setVisible(true);
        split.setDividerLocation(0.68);
    }

    /** A terminal emulator's window with a shell session in it. */
    static void terminal(Dimension screen) {
        JFrame f = new JFrame("sam@workbench: ~/projects/harbor-ledger");
        JTextArea text = new JTextArea(String.join("\n",
            "sam@workbench:~/projects/harbor-ledger$ git log --oneline -5",
            "4e1c2a9 Round totals half-even in the ledger export",
            "b7d03f1 Show the workspace name in the sign-in window",
            "19aa6e0 Keep the last 12 backups, not 10",
            "c02f5d3 Fix the date picker on short months",
            "7f3b8e4 Bump the version to 4.2.1",
            "sam@workbench:~/projects/harbor-ledger$ make test",
            "python -m pytest tests",
            "============================= test session starts ==============================",
            "collected 214 items",
            "",
            "tests/test_accounts.py ..........................................        [ 19%]",
            "tests/test_backup.py ..............                                      [ 26%]",
            "tests/test_export.py ...................................                 [ 42%]",
            "tests/test_ledger.py ..................................................  [ 66%]",
            "tests/test_reports.py ...........................................        [ 86%]",
            "tests/test_sign_in.py ..............................                     [100%]",
            "",
            "============================= 214 passed in 9.87s ==============================",
            "sam@workbench:~/projects/harbor-ledger$ df -h /srv",
            "Filesystem      Size  Used Avail Use% Mounted on",
            "/dev/sdb1       916G  402G  468G  47% /srv",
            "sam@workbench:~/projects/harbor-ledger$ "));
        text.setFont(new Font("DejaVu Sans Mono", Font.PLAIN, 12));
        text.setBackground(new Color(12, 12, 12));
        text.setForeground(new Color(204, 204, 204));
        text.setCaretColor(new Color(204, 204, 204));
        text.setBorder(BorderFactory.createEmptyBorder(4, 6, 4, 6));
        text.setEditable(false);
        f.getContentPane().add(new JScrollPane(text));
        int w = Math.min(760, screen.width - 80);
        f.setBounds((screen.width - w) / 2 - 60, 70, w, 470);
        f.setVisible(true);
    }

    /** A web browser with a news-like page (HTML rendered by Swing). */
    static void browser(Dimension screen, boolean dark) {
        JFrame f = new JFrame("Harbour Tides \u2014 Weekly Tables \u2014 Web Browser");
        JToolBar nav = new JToolBar();
        nav.setFloatable(false);
        for (String b : new String[] {"\u25C0", "\u25B6", "\u27F3"}) nav.add(new JButton(b));
        JTextField url = new JTextField("https://tides.example.org/harbour/weekly");
        nav.add(url);
        nav.add(new JButton("Go"));
        nav.add(new JButton("\u2630"));
        String page = "<html><body style='font-family:DejaVu Sans; margin:14px'>"
            + "<h1>Harbour Tide Tables</h1>"
            + "<p>High and low water for the inner harbour, measured at the pier gauge. Heights are in metres "
            + "above chart datum. Times are local.</p>"
            + "<table border='1' cellpadding='4' cellspacing='0'>"
            + "<tr><th>Day</th><th>High water</th><th>Height</th><th>Low water</th><th>Height</th></tr>"
            + "<tr><td>Monday</td><td>03:12</td><td>4.1</td><td>09:30</td><td>0.8</td></tr>"
            + "<tr><td>Tuesday</td><td>03:58</td><td>4.3</td><td>10:14</td><td>0.6</td></tr>"
            + "<tr><td>Wednesday</td><td>04:41</td><td>4.4</td><td>10:57</td><td>0.5</td></tr>"
            + "<tr><td>Thursday</td><td>05:23</td><td>4.4</td><td>11:40</td><td>0.5</td></tr>"
            + "<tr><td>Friday</td><td>06:05</td><td>4.2</td><td>12:22</td><td>0.7</td></tr>"
            + "</table>"
            + "<h2>Notices to mariners</h2>"
            + "<ul><li>The east channel buoy is being replaced; keep to the marked fairway.</li>"
            + "<li>Dredging continues at berth 4 on weekdays between 07:00 and 16:00.</li>"
            + "<li>The fuel pontoon is open again after repairs.</li></ul>"
            + "<p><a href='#'>Previous week</a> &nbsp; <a href='#'>Next week</a> &nbsp; "
            + "<a href='#'>Download as a table</a></p>"
            + "</body></html>";
        JEditorPane view = new JEditorPane("text/html", page);
        view.setEditable(false);
        if (dark) {
            view.setBackground(new Color(32, 33, 36));
            view.setText(page.replace("<body style='", "<body style='color:#e8eaed; "));
        }
        f.getContentPane().add(nav, BorderLayout.NORTH);
        f.getContentPane().add(new JScrollPane(view), BorderLayout.CENTER);
        f.setBounds(30, 24, screen.width - 60, screen.height - 60);
        f.setVisible(true);
    }
}

/** Dialogs of other programs, most of them over the main window of a text editor. */
final class Dialogs {
    private Dialogs() {}

    /** A text editor's main window (the owner of most dialogs). */
    static JFrame editor(Dimension screen) {
        JFrame f = new JFrame("Notes \u2014 quarterly-report.txt");
        JMenuBar bar = new JMenuBar();
        for (String m : new String[] {"File", "Edit", "Format", "View", "Help"}) bar.add(new JMenu(m));
        f.setJMenuBar(bar);
        JTextArea text = new JTextArea(String.join("\n",
            "Quarterly report, second quarter",
            "",
            "1. Summary",
            "Sales at the harbour shop rose by a tenth against the first quarter, mostly",
            "from rope, paint and small fittings. The warehouse moved to the new racking",
            "in May; stock counts now take one afternoon instead of two days.",
            "",
            "2. Costs",
            "Fuel for the work boat went up again. The insurance renewal came in lower",
            "than feared after the survey of the slipway.",
            "",
            "3. Next quarter",
            "- repaint the east shed before the autumn storms",
            "- replace the till in the shop",
            "- train two more people on the forklift",
            "- move the backups to the second drive"));
        text.setFont(new Font("DejaVu Sans Mono", Font.PLAIN, 13));
        text.setBorder(BorderFactory.createEmptyBorder(6, 8, 6, 8));
        f.getContentPane().add(new JScrollPane(text));
        JLabel status = new JLabel(" Line 1, Column 1    UTF-8    Plain text");
        status.setBorder(BorderFactory.createEmptyBorder(2, 4, 2, 4));
        f.getContentPane().add(status, BorderLayout.SOUTH);
        f.setBounds(40, 30, Math.min(900, screen.width - 80), Math.min(660, screen.height - 60));
        f.setVisible(true);
        return f;
    }

    /** A JOptionPane message, shown without blocking (its owner's centre, or the screen's). */
    static void option(JFrame owner, String title, String message, int type, String[] buttons) {
        JOptionPane pane = new JOptionPane(message, type, JOptionPane.DEFAULT_OPTION, null, buttons, buttons[0]);
        JDialog d = pane.createDialog(owner, title);
        d.setModal(false);
        d.setVisible(true);
    }

    /** A file-copy progress dialog stopped at a fixed point. */
    static void progress(Dimension screen) {
        JDialog d = new JDialog((Frame) null, "Copying Files");
        JPanel p = new JPanel(new GridLayout(0, 1, 0, 6));
        p.setBorder(BorderFactory.createEmptyBorder(14, 16, 8, 16));
        p.add(new JLabel("Copying \u201choliday-photos-0193.jpg\u201d to SHIPYARD"));
        JProgressBar bar = new JProgressBar(0, 32);
        bar.setValue(14);
        bar.setStringPainted(true);
        p.add(bar);
        p.add(new JLabel("14 of 32 files \u2014 about two minutes left"));
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT));
        buttons.add(new JButton("Pause"));
        buttons.add(new JButton("Cancel"));
        d.getContentPane().add(p, BorderLayout.CENTER);
        d.getContentPane().add(buttons, BorderLayout.SOUTH);
        d.setSize(470, 200);
        d.setLocation((screen.width - 470) / 2, (screen.height - 200) / 2 - 40);
        d.setVisible(true);
    }

    /** The text editor's About box. */
    static void about(JFrame owner) {
        JDialog d = new JDialog(owner, "About Notes");
        JPanel p = new JPanel(new BorderLayout(16, 0));
        p.setBorder(BorderFactory.createEmptyBorder(18, 18, 12, 18));
        JComponent logo = new JComponent() {
            @Override protected void paintComponent(Graphics g0) {
                Graphics2D g = (Graphics2D) g0;
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setColor(new Color(250, 214, 80));
                g.fillRoundRect(4, 4, 64, 72, 10, 10);
                g.setColor(new Color(150, 120, 30));
                for (int i = 0; i < 5; i++) g.drawLine(14, 20 + 11 * i, 58, 20 + 11 * i);
            }
        };
        logo.setPreferredSize(new Dimension(72, 80));
        JPanel text = new JPanel(new GridLayout(0, 1));
        JLabel name = new JLabel("Notes 2.7.3");
        name.setFont(name.getFont().deriveFont(Font.BOLD, 18f));
        text.add(name);
        text.add(new JLabel("A small editor for plain text files."));
        text.add(new JLabel("\u00A9 2019\u20132024 The Notes authors"));
        text.add(new JLabel("Released under the MIT licence."));
        p.add(logo, BorderLayout.WEST);
        p.add(text, BorderLayout.CENTER);
        JPanel buttons = new JPanel(new FlowLayout(FlowLayout.RIGHT));
        buttons.add(new JButton("Credits"));
        JButton close = new JButton("Close");
        buttons.add(close);
        d.getRootPane().setDefaultButton(close);
        d.getContentPane().add(p, BorderLayout.CENTER);
        d.getContentPane().add(buttons, BorderLayout.SOUTH);
        d.setSize(420, 230);
        d.setLocationRelativeTo(owner);
        d.setVisible(true);
    }

    /** Another program's settings: a tree of sections at the left, the Network/Proxy panel at the right. */
    static void preferences(Dimension screen) {
        JDialog d = new JDialog((Frame) null, "Preferences \u2014 Harbor Ledger");
        javax.swing.tree.DefaultMutableTreeNode root = new javax.swing.tree.DefaultMutableTreeNode("Preferences");
        String[][] sections = {{"General"}, {"Appearance", "Fonts", "Colours"}, {"Accounts"},
            {"Network", "Proxy", "Certificates"}, {"Notifications"}, {"Backup"}, {"Advanced"}};
        javax.swing.tree.DefaultMutableTreeNode proxy = null;
        for (String[] s : sections) {
            javax.swing.tree.DefaultMutableTreeNode node = new javax.swing.tree.DefaultMutableTreeNode(s[0]);
            for (int i = 1; i < s.length; i++) {
                javax.swing.tree.DefaultMutableTreeNode child = new javax.swing.tree.DefaultMutableTreeNode(s[i]);
                node.add(child);
                if (s[i].equals("Proxy")) proxy = child;
            }
            root.add(node);
        }
        JTree tree = new JTree(root);
        tree.setRootVisible(false);
        for (int i = 0; i < tree.getRowCount(); i++) tree.expandRow(i);
        tree.setSelectionPath(new javax.swing.tree.TreePath(proxy.getPath()));

        JPanel panel = new JPanel(new GridBagLayout());
        panel.setBorder(BorderFactory.createEmptyBorder(12, 14, 12, 14));
        GridBagConstraints c = new GridBagConstraints();
        c.gridx = 0;
        c.gridwidth = 2;
        c.anchor = GridBagConstraints.NORTHWEST;
        c.weightx = 1;
        c.insets = new Insets(3, 0, 3, 0);
        JLabel heading = new JLabel("Proxy");
        heading.setFont(heading.getFont().deriveFont(Font.BOLD, 15f));
        panel.add(heading, c);
        ButtonGroup group = new ButtonGroup();
        String[] choices = {"No proxy", "Use the system's proxy settings", "Manual configuration"};
        for (String choice : choices) {
            JRadioButton r = new JRadioButton(choice, choice.startsWith("Manual"));
            group.add(r);
            panel.add(r, c);
        }
        c.gridwidth = 1;
        c.weightx = 0;
        String[] labels = {"Host:", "Port:", "No proxy for:"};
        JComponent[] fields = {new JTextField("proxy.example.net", 20), new JSpinner(new SpinnerNumberModel(3128, 1, 65535, 1)),
            new JTextField("localhost, 127.0.0.1", 20)};
        for (int i = 0; i < labels.length; i++) {
            c.gridy = 4 + i;
            c.gridx = 0;
            c.insets = new Insets(4, 24, 4, 8);
            panel.add(new JLabel(labels[i]), c);
            c.gridx = 1;
            c.weightx = 1;
            c.insets = new Insets(4, 0, 4, 0);
            panel.add(fields[i], c);
            c.weightx = 0;
        }
        c.gridx = 0;
        c.gridy = 7;
        c.gridwidth = 2;
        c.weightx = 1;
        c.insets = new Insets(8, 20, 3, 0);
        panel.add(new JCheckBox("Use this proxy for all protocols", true), c);
        c.gridy = 8;
        c.weighty = 1;
        panel.add(new JCheckBox("Ask for a password when the proxy needs one", false), c);

        JSplitPane split = new JSplitPane(JSplitPane.HORIZONTAL_SPLIT, new JScrollPane(tree), panel);
        split.setDividerLocation(190);
        JPanel buttons = new JPanel(new BorderLayout());
        buttons.setBorder(BorderFactory.createEmptyBorder(6, 8, 8, 8));
        buttons.add(new JButton("Restore Defaults"), BorderLayout.WEST);
        JPanel right = new JPanel(new FlowLayout(FlowLayout.RIGHT, 8, 0));
        for (String b : new String[] {"OK", "Cancel", "Apply"}) right.add(new JButton(b));
        buttons.add(right, BorderLayout.EAST);
        d.getContentPane().add(split, BorderLayout.CENTER);
        d.getContentPane().add(buttons, BorderLayout.SOUTH);
        d.setSize(740, 500);
        d.setLocation((screen.width - 740) / 2 + 20, (screen.height - 500) / 2 - 20);
        d.setVisible(true);
    }

    /** A Save dialog listing FOLDER, with a white file list and name field in a grey dialog. */
    static void saveAs(JFrame owner, String folder) {
        for (String k : new String[] {"List", "TextField"}) {
            UIManager.put(k + ".background", new ColorUIResource(255, 255, 255));
            UIManager.put(k + ".foreground", new ColorUIResource(0, 0, 0));
        }
        JFileChooser fc = new JFileChooser(new java.io.File(folder));
        fc.setDialogType(JFileChooser.SAVE_DIALOG);
        fc.setSelectedFile(new java.io.File(folder, "harbour-report.txt"));
        JDialog d = new JDialog(owner, "Save Report As");
        d.getContentPane().add(fc);
        d.setSize(540, 400);
        d.setLocationRelativeTo(owner);
        d.setVisible(true);
    }

    /** A message box that paints itself flat, in dark greys: a title bar, two lines, two buttons. */
    static void flat(JFrame owner) {
        JDialog d = new JDialog(owner, "Sync Finished");
        d.setUndecorated(true);
        d.getRootPane().setWindowDecorationStyle(JRootPane.NONE);  // it paints its own title bar
        d.setContentPane(new JComponent() {
            @Override protected void paintComponent(Graphics g0) {
                Graphics2D g = (Graphics2D) g0;
                int w = getWidth(), h = getHeight();
                g.setColor(new Color(85, 85, 85));
                g.fillRect(0, 0, w, h);
                g.setColor(new Color(68, 68, 68));
                g.fillRect(0, 0, w, 22);
                g.setColor(new Color(40, 40, 40));
                g.drawRect(0, 0, w - 1, h - 1);
                g.setFont(new Font("DejaVu Sans", Font.PLAIN, 11));
                g.setColor(Color.WHITE);
                g.drawString("Sync Finished", 8, 15);
                g.setColor(new Color(170, 170, 170));
                g.drawLine(w - 16, 7, w - 9, 14);
                g.drawLine(w - 16, 14, w - 9, 7);
                g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_LCD_HRGB);
                g.setFont(new Font("DejaVu Sans", Font.PLAIN, 12));
                g.setColor(Color.WHITE);
                g.drawString("Your calendar is up to date.", 24, 58);
                g.drawString("12 events were added and 3 were changed.", 24, 78);
                String[] buttons = {"Details", "OK"};
                for (int i = 0; i < buttons.length; i++) {
                    int bx = w - 180 + 88 * i, by = h - 40;
                    g.setColor(new Color(55, 55, 55));
                    g.fillRect(bx, by, 76, 24);
                    g.setColor(i == 1 ? new Color(58, 138, 216) : new Color(111, 111, 111));
                    g.drawRect(bx, by, 75, 23);
                    g.setColor(Color.WHITE);
                    int tw = g.getFontMetrics().stringWidth(buttons[i]);
                    g.drawString(buttons[i], bx + (76 - tw) / 2, by + 16);
                }
            }
        });
        d.setSize(400, 150);
        d.setLocationRelativeTo(owner);
        d.setVisible(true);
    }

    /** An Open dialog listing FOLDER. */
    static void chooser(JFrame owner, String folder) {
        JFileChooser fc = new JFileChooser(new java.io.File(folder));
        fc.setFileFilter(new javax.swing.filechooser.FileNameExtensionFilter("Documents (*.txt, *.md, *.odt)",
            "txt", "md", "odt"));
        fc.setAcceptAllFileFilterUsed(true);
        JDialog d = new JDialog(owner, "Open Document");
        d.getContentPane().add(fc);
        d.setSize(560, 400);
        d.setLocationRelativeTo(owner);
        d.setVisible(true);
    }
}

/** The two looks and the desktop behind the windows. */
final class Look {
    private Look() {}

    /** Set the look before any window exists; returns true for the dark one. */
    static boolean set(String look) throws Exception {
        boolean dark = switch (look) {
            case "dark" -> true;
            case "metal" -> false;
            default -> throw new IllegalArgumentException("LOOK must be dark or metal, not " + look);
        };
        if (dark) {
            System.setProperty("awt.useSystemAAFontSettings", "lcd");
            MetalLookAndFeel.setCurrentTheme(new DarkTheme());
        }
        UIManager.setLookAndFeel(new MetalLookAndFeel());
        if (dark) {  // message boxes with the dark title bar of the other windows, not Metal's orange or red
            for (String kind : new String[] {"error", "question", "warning"}) {
                String key = "OptionPane." + kind + "Dialog.";
                UIManager.put(key + "titlePane.background", new ColorUIResource(17, 17, 17));
                UIManager.put(key + "titlePane.foreground", new ColorUIResource(255, 255, 255));
                UIManager.put(key + "titlePane.shadow", new ColorUIResource(68, 68, 68));
                UIManager.put(key + "border.background", new ColorUIResource(51, 51, 51));
            }
        }
        for (String k : new String[] {"TextField", "PasswordField", "TextArea", "EditorPane", "FormattedTextField"}) {
            UIManager.put(k + ".caretBlinkRate", 0);  // a steady caret: the same pixels on every run
        }
        // There is no window manager on the screen: the look paints the title bars.
        JFrame.setDefaultLookAndFeelDecorated(true);
        JDialog.setDefaultLookAndFeelDecorated(true);
        return dark;
    }

    /** A desktop: a gradient, a few icons and a task bar, under every other window. */
    static void wallpaper(Dimension screen, boolean dark) {
        JWindow w = new JWindow();
        Color top = dark ? new Color(18, 26, 44) : new Color(110, 150, 196);
        Color bottom = dark ? new Color(56, 74, 106) : new Color(198, 218, 236);
        w.setContentPane(new JComponent() {
            @Override protected void paintComponent(Graphics g0) {
                Graphics2D g = (Graphics2D) g0;
                int h = getHeight() - 30;
                g.setPaint(new GradientPaint(0, 0, top, 0, h, bottom));
                g.fillRect(0, 0, getWidth(), h);
                g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
                g.setFont(new Font("DejaVu Sans", Font.PLAIN, 11));
                String[] icons = {"Home", "Documents", "Projects", "Trash"};
                for (int i = 0; i < icons.length; i++) {
                    int y = 20 + 86 * i;
                    g.setColor(new Color(236, 200, 90));
                    g.fillRoundRect(26, y, 44, 36, 6, 6);
                    g.setColor(new Color(200, 160, 60));
                    g.fillRect(26, y, 18, 6);
                    g.setColor(Color.WHITE);
                    int tw = g.getFontMetrics().stringWidth(icons[i]);
                    g.drawString(icons[i], 48 - tw / 2, y + 54);
                }
                g.setColor(dark ? new Color(30, 30, 30) : new Color(228, 228, 228));
                g.fillRect(0, h, getWidth(), 30);
                g.setColor(dark ? new Color(70, 70, 70) : new Color(170, 170, 170));
                g.drawLine(0, h, getWidth(), h);
                g.setColor(dark ? new Color(220, 220, 220) : new Color(30, 30, 30));
                g.setFont(new Font("DejaVu Sans", Font.BOLD, 12));
                g.drawString("Applications", 10, h + 20);
                g.setFont(new Font("DejaVu Sans", Font.PLAIN, 12));
                g.drawString("Files", 120, h + 20);
                g.drawString("Mail", 180, h + 20);
            }
        });
        w.setBounds(0, 0, screen.width, screen.height);
        w.setFocusableWindowState(false);
        w.setVisible(true);
    }
}

/** A dark Metal theme in the gateway's range of greys, with DejaVu Sans: a near miss in look. */
final class DarkTheme extends DefaultMetalTheme {
    private static final FontUIResource PLAIN = new FontUIResource("DejaVu Sans", Font.PLAIN, 12);
    private static final FontUIResource BOLD = new FontUIResource("DejaVu Sans", Font.BOLD, 12);

    @Override public String getName() { return "Dark"; }
    @Override protected ColorUIResource getPrimary1() { return new ColorUIResource(58, 138, 216); }
    @Override protected ColorUIResource getPrimary2() { return new ColorUIResource(52, 92, 136); }
    @Override protected ColorUIResource getPrimary3() { return new ColorUIResource(68, 68, 68); }
    @Override protected ColorUIResource getSecondary1() { return new ColorUIResource(111, 111, 111); }
    @Override protected ColorUIResource getSecondary2() { return new ColorUIResource(55, 55, 55); }
    @Override protected ColorUIResource getSecondary3() { return new ColorUIResource(85, 85, 85); }
    @Override protected ColorUIResource getWhite() { return new ColorUIResource(40, 40, 40); }
    @Override protected ColorUIResource getBlack() { return new ColorUIResource(225, 225, 225); }
    @Override public ColorUIResource getWindowTitleBackground() { return new ColorUIResource(17, 17, 17); }
    @Override public ColorUIResource getWindowTitleInactiveBackground() { return new ColorUIResource(34, 34, 34); }
    @Override public ColorUIResource getWindowTitleForeground() { return new ColorUIResource(255, 255, 255); }
    @Override public ColorUIResource getWindowTitleInactiveForeground() { return new ColorUIResource(190, 190, 190); }
    @Override public ColorUIResource getMenuSelectedBackground() { return new ColorUIResource(58, 138, 216); }
    @Override public ColorUIResource getMenuSelectedForeground() { return new ColorUIResource(255, 255, 255); }
    @Override public ColorUIResource getTextHighlightColor() { return new ColorUIResource(58, 138, 216); }
    @Override public ColorUIResource getHighlightedTextColor() { return new ColorUIResource(255, 255, 255); }
    @Override public FontUIResource getControlTextFont() { return PLAIN; }
    @Override public FontUIResource getSystemTextFont() { return PLAIN; }
    @Override public FontUIResource getUserTextFont() { return PLAIN; }
    @Override public FontUIResource getMenuTextFont() { return PLAIN; }
    @Override public FontUIResource getWindowTitleFont() { return BOLD; }
    @Override public FontUIResource getSubTextFont() { return new FontUIResource("DejaVu Sans", Font.PLAIN, 10); }
}
