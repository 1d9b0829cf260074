package replica;

import java.awt.*;
import java.awt.event.*;
import java.io.File;
import java.io.IOException;
import java.nio.file.*;
import javax.swing.*;

/** View Logs ▸ Export: the "Enter export filename" chooser (CATALOG §2.45: a Swing JFileChooser, file-name
 *  field focused on open, approve button "Open", relative names resolve against the directory shown) and the
 *  "Finished exporting logs" message (§2.46). The chooser is a real JFileChooser hosted in the gateway's
 *  dark dialog frame so it has a visible title without a window manager. */
public final class ExportDialogs {
    private ExportDialogs() {}

    public static void chooseAndExport(Gateway g, Window owner, String kind, String day, Path source) {
        boolean drift = g != null && g.drift;
        DarkDialog d = new DarkDialog(owner, "Enter export filename", "export_filename_chooser");
        d.setButtonStripVisible(false);
        Path start = g != null ? g.settingsDir : Paths.get(System.getProperty("user.home"));
        JFileChooser fc = new JFileChooser(start.toFile());
        fc.setDialogType(drift ? JFileChooser.SAVE_DIALOG : JFileChooser.OPEN_DIALOG);
        fc.setApproveButtonText(drift ? "Save" : "Open");
        fc.setSelectedFile(new File(start.toFile(), ("API".equals(kind) ? "api_" : "gateway_") + day + ".log"));
        fc.setControlButtonsAreShown(true);
        darken(fc);
        tagRoles(fc, fc.getApproveButtonText());
        Theme.state(d, "kind", kind);
        Theme.state(d, "date", day);
        fc.addActionListener(e -> {
            if (JFileChooser.APPROVE_SELECTION.equals(e.getActionCommand())) {
                File f = fc.getSelectedFile();
                if (f == null) return;
                if (!f.isAbsolute()) f = new File(fc.getCurrentDirectory(), f.getPath());
                if (g != null) g.events.event("click", "role", "open_button", "screen", "export_filename_chooser");
                Path out = f.toPath().toAbsolutePath().normalize();
                try {
                    if (out.getParent() != null) Files.createDirectories(out.getParent());
                    if (source != null && Files.isRegularFile(source)) {
                        Files.copy(source, out, StandardCopyOption.REPLACE_EXISTING);
                    } else {
                        Files.write(out, new byte[0]);
                    }
                    if (g != null) g.events.event("export_written", "path", out.toString(), "kind", kind, "date", day);
                    d.close();
                    done(g, owner, out, null);
                } catch (IOException ex) {
                    d.close();
                    done(g, owner, out, ex.getMessage());
                }
            } else if (JFileChooser.CANCEL_SELECTION.equals(e.getActionCommand())) {
                if (g != null) g.events.event("click", "role", "cancel_button", "screen", "export_filename_chooser");
                d.close();
            }
        });
        d.getRootPane().registerKeyboardAction(e -> fc.cancelSelection(),
                KeyStroke.getKeyStroke(KeyEvent.VK_ESCAPE, 0), JComponent.WHEN_IN_FOCUSED_WINDOW);
        JPanel wrap = new JPanel(new BorderLayout());
        wrap.setBackground(Theme.DIALOG_BODY);
        wrap.setBorder(BorderFactory.createEmptyBorder(drift ? 14 : 6, 8, 6, 8));
        wrap.add(fc, BorderLayout.CENTER);
        d.setBody(wrap);
        d.setSize(drift ? 560 : 540, drift ? 420 : 400);
        d.showCentredOn(owner);
        // IBGA types the path straight away: the file-name field has the focus on open
        JTextField name = findField(fc);
        if (name != null) {
            SwingUtilities.invokeLater(() -> {
                name.requestFocusInWindow();
                name.selectAll();
            });
        }
    }

    /** "Finished exporting logs" with OK (or the failure text). */
    static void done(Gateway g, Window owner, Path out, String error) {
        boolean drift = g != null && g.drift;
        DarkDialog m = new DarkDialog(owner, drift ? "Log Export" : "Export Logs", "export_done_message");
        if (error == null) {
            m.setBody(DarkDialog.messageBody("Finished exporting logs to", out.toString()));
            Theme.state(m, "path", out.toString());
        } else {
            m.setBody(DarkDialog.messageBody("Failed to export logs:", error));
        }
        m.addButton("OK", "ok_button", m::close);
        FontMetrics fm = m.getFontMetrics(Theme.font(13));
        m.setSize(Math.max(360, fm.stringWidth(out.toString()) + 80), 170);
        m.showCentredOn(owner);
    }

    static JTextField findField(Container c) {
        for (Component k : c.getComponents()) {
            if (k instanceof JTextField) return (JTextField) k;
            if (k instanceof Container) {
                JTextField f = findField((Container) k);
                if (f != null) return f;
            }
        }
        return null;
    }

    /** Roles of the chooser's parts: file_name, directory (Look In combo), open_button, cancel_button. */
    static void tagRoles(Container c, String approve) {
        boolean comboDone = false;
        JTextField f = findField(c);
        if (f != null) Theme.role(f, "file_name");
        java.util.List<Component> all = new java.util.ArrayList<>();
        collect(c, all);
        for (Component k : all) {
            if (k instanceof JComboBox && !comboDone) {
                Theme.role((JComboBox<?>) k, "directory");
                comboDone = true;
            } else if (k instanceof JButton) {
                String t = ((JButton) k).getText();
                if (approve.equals(t)) Theme.role((JButton) k, "open_button");
                else if ("Cancel".equals(t)) Theme.role((JButton) k, "cancel_button");
            }
        }
    }

    static void collect(Container c, java.util.List<Component> out) {
        for (Component k : c.getComponents()) {
            out.add(k);
            if (k instanceof Container) collect((Container) k, out);
        }
    }

    /** Dark grey panels and white labels like the gateway's other dialogs; lists and fields stay white. */
    static void darken(Container c) {
        java.util.List<Component> all = new java.util.ArrayList<>();
        all.add(c);
        collect(c, all);
        for (Component k : all) {
            k.setFont(Theme.font(12));
            if (k instanceof JPanel || k instanceof JFileChooser) {
                k.setBackground(Theme.DIALOG_BODY);
            } else if (k instanceof JLabel) {
                k.setForeground(Color.WHITE);
            } else if (k instanceof JToggleButton || k instanceof JButton && ((JButton) k).getText() == null) {
                k.setBackground(new Color(110, 110, 110));
            }
        }
    }
}
