package replica;

import java.awt.*;
import javax.swing.*;

/** "Exit Session Setting" (CATALOG §2.40): a few minutes before the scheduled auto logoff/restart, the
 *  message, the time field with AM/PM radios (the time can be postponed once), Apply and OK. */
public final class ExitSessionSettingDialog {
    private ExitSessionSettingDialog() {}

    /** when: the scheduled time as "HH:MM AM|PM" (or "HH:MM", AM/PM then taken from the settings). */
    public static DarkDialog open(Gateway g, Window owner, String when) {
        boolean drift = g != null && g.drift;
        boolean restart = g != null && "restart".equalsIgnoreCase(g.settings.get("auto_mode"));
        String time = when == null ? "" : when.trim();
        String ampm = g != null ? g.settings.get("auto_logoff_ampm") : "PM";
        String[] parts = time.split("\\s+");
        if (parts.length == 2) {
            time = parts[0];
            ampm = parts[1].toUpperCase();
        }
        DarkDialog d = new DarkDialog(owner, drift ? "Exit Session Settings" : "Exit Session Setting", "exit_session_setting");
        Theme.state(d, "mode", restart ? "restart" : "logoff");
        JPanel body = new JPanel(null);
        body.setBackground(Theme.DIALOG_BODY);
        int y = 18 + (drift ? 10 : 0);
        String msg = restart ? "The application will automatically restart in a few minutes, at " + time + " " + ampm + "."
                : "The application will automatically log out in a few minutes, at " + time + " " + ampm + ".";
        JLabel l1 = Theme.label(msg, 13, Color.WHITE);
        l1.setBounds(24, y, 520, 18);
        body.add(l1);
        JLabel l2 = Theme.label(restart ? "You may change the restart time for this session:" : "You may change the log off time for this session:",
                13, Color.WHITE);
        l2.setBounds(24, y + 24, 520, 18);
        body.add(l2);
        JTextField f = new JTextField(time);
        f.setFont(Theme.font(12));
        f.setHorizontalAlignment(JTextField.CENTER);
        f.setBorder(BorderFactory.createEmptyBorder(0, 3, 0, 3));
        Theme.role(f, "exit_time");
        f.setBounds(24, y + 56, 62, 18);
        body.add(f);
        SettingsDialog.Radio am = new SettingsDialog.Radio("AM", "exit_time_am");
        SettingsDialog.Radio pm = new SettingsDialog.Radio("PM", "exit_time_pm");
        ButtonGroup bg = new ButtonGroup();
        bg.add(am);
        bg.add(pm);
        ("AM".equals(ampm) ? am : pm).setSelected(true);
        am.setBounds(100, y + 56, 50, 18);
        pm.setBounds(152 + (drift ? 10 : 0), y + 56, 50, 18);
        body.add(am);
        body.add(pm);
        d.setBody(body);
        Runnable apply = () -> {
            if (g == null) return;
            String t = f.getText().trim();
            if (!t.matches("(0?[1-9]|1[0-2]):[0-5][0-9]")) return;
            String ap = pm.isSelected() ? "PM" : "AM";
            java.util.Map<String, String> changed = new java.util.LinkedHashMap<>();
            if (!t.equals(g.settings.get("auto_logoff_time"))) changed.put("auto_logoff_time", t);
            if (!ap.equals(g.settings.get("auto_logoff_ampm"))) changed.put("auto_logoff_ampm", ap);
            for (java.util.Map.Entry<String, String> e : changed.entrySet()) g.settings.set(e.getKey(), e.getValue());
            g.settings.save();
            g.events.event("settings_applied", "changed", changed, "panel", "exit_session_setting");
        };
        d.addButton("OK", "ok_button", () -> { apply.run(); d.close(); });
        d.addButton("Apply", "apply_button", apply);
        d.setSize(580, 200 + (drift ? 10 : 0));
        d.showCentredOn(owner);
        return d;
    }
}
