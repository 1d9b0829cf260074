package replica;

import java.awt.*;
import java.awt.event.*;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.*;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.*;
import java.util.List;
import java.util.stream.Stream;
import javax.swing.*;

/** File ▸ Gateway Logs / API Logs (CATALOG §2.44): "View Logs" with the list of days that have a log file
 *  (YYYYMMDD, oldest first, today selected), "Export Logs..." and "Cancel". The replica writes real daily log
 *  files to SETTINGS_DIR/replica/logs/{gateway,api}-YYYYMMDD.log (see appendLine), so an export copies a
 *  real file. */
public class ViewLogsDialog extends DarkDialog {
    private static final DateTimeFormatter DAY = DateTimeFormatter.ofPattern("yyyyMMdd");
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSS");
    private static final DateTimeFormatter SHORT = DateTimeFormatter.ofPattern("HH:mm:ss:SSS");

    final Gateway g;
    final Window owner;
    final String kind;
    final JList<String> list;
    final DefaultListModel<String> model = new DefaultListModel<>();

    public ViewLogsDialog(Gateway g, Window owner, String kind) {
        super(owner, "View Logs", "view_logs");
        this.g = g;
        this.owner = owner;
        this.kind = "API".equalsIgnoreCase(kind) ? "API" : "Gateway";
        Theme.state(this, "kind", this.kind);
        // make sure today's file exists: the gateway logs continuously, so today always has a log
        appendLine(g, this.kind, "View Logs opened (" + this.kind + ")");
        for (String d : dates(g, this.kind)) model.addElement(d);

        list = new JList<>(model);
        list.setSelectionMode(ListSelectionModel.SINGLE_SELECTION);
        list.setFont(Theme.font(12));
        list.setBackground(Color.WHITE);
        list.setForeground(Color.BLACK);
        list.setSelectionBackground(new Color(58, 98, 150));
        list.setSelectionForeground(Color.WHITE);
        list.setFixedCellHeight(18);
        if (!model.isEmpty()) list.setSelectedIndex(model.size() - 1);
        Theme.role(list, "log_dates");
        list.addMouseListener(new MouseAdapter() {
            @Override public void mouseClicked(MouseEvent e) {
                if (e.getClickCount() == 2) export();
            }
        });
        list.getInputMap().put(KeyStroke.getKeyStroke(KeyEvent.VK_ENTER, 0), "exportLogs");
        list.getActionMap().put("exportLogs", new AbstractAction() {
            @Override public void actionPerformed(ActionEvent e) { export(); }
        });

        JPanel body = new JPanel(null);
        body.setBackground(Theme.DIALOG_BODY);
        JLabel l = Theme.label(g != null && g.drift ? "Available " + this.kind + " logs:" : "Select date:", 13, Color.WHITE);
        int off = g != null && g.drift ? 20 : 0;
        l.setBounds(20 + off, 14, 300, 18);
        body.add(l);
        JScrollPane sp = new JScrollPane(list);
        sp.setBorder(BorderFactory.createLineBorder(new Color(40, 40, 40)));
        sp.setBounds(20 + off, 38, 300, 180);
        body.add(sp);
        setBody(body);

        boolean drift = g != null && g.drift;
        JButton exp = addButton(drift ? "Export Today Logs..." : "Export Logs...", "export_button", this::export);
        addButton("Cancel", "cancel_button", this::close);
        exp.setEnabled(!model.isEmpty());
        setSize(340 + 2 * off, 330);
    }

    public void open() {
        showCentredOn(owner);
        list.requestFocusInWindow();
    }

    void export() {
        String day = list.getSelectedValue();
        if (day == null) return;
        ExportDialogs.chooseAndExport(g, this, kind, day, logFile(g, kind, day));
    }

    // ---------------------------------------------------------------- daily log files

    static Path logDir(Gateway g) {
        Path base = g != null ? g.settingsDir : Paths.get(System.getProperty("java.io.tmpdir"));
        return base.resolve("replica").resolve("logs");
    }

    static LocalDateTime now(Gateway g) { return g != null ? g.clock.now() : LocalDateTime.now(); }

    static Path logFile(Gateway g, String kind, String day) {
        return logDir(g).resolve(("API".equalsIgnoreCase(kind) ? "api" : "gateway") + "-" + day + ".log");
    }

    /** Appends one line to today's (scenario clock) log of that kind; returns the line as the Log tab shows it. */
    public static synchronized String appendLine(Gateway g, String kind, String line) {
        LocalDateTime t = now(g);
        Path f = logFile(g, kind, t.format(DAY));
        try {
            Files.createDirectories(f.getParent());
            Files.write(f, (t.format(STAMP) + " " + line + "\n").getBytes(StandardCharsets.UTF_8),
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            System.err.println("replica: cannot write log " + f + ": " + e.getMessage());
        }
        return t.format(SHORT) + " -> " + line;
    }

    /** Days that have a log file of that kind, oldest first. */
    static List<String> dates(Gateway g, String kind) {
        String prefix = ("API".equalsIgnoreCase(kind) ? "api" : "gateway") + "-";
        List<String> out = new ArrayList<>();
        Path dir = logDir(g);
        if (!Files.isDirectory(dir)) return out;
        try (Stream<Path> s = Files.list(dir)) {
            s.forEach(p -> {
                String n = p.getFileName().toString();
                if (n.startsWith(prefix) && n.endsWith(".log") && n.length() == prefix.length() + 12) {
                    out.add(n.substring(prefix.length(), prefix.length() + 8));
                }
            });
        } catch (IOException e) {
            System.err.println("replica: cannot list " + dir + ": " + e.getMessage());
        }
        Collections.sort(out);
        return out;
    }
}
