package replica;

import java.awt.*;
import javax.swing.*;

/** "Shutdown progress" (CATALOG §2.43): shown while the gateway exits (File ▸ Close, auto logoff, auto
 *  restart); no buttons, a message and a progress bar. Gateway closes it right before System.exit. */
public final class ShutdownProgress {
    private ShutdownProgress() {}

    public static DarkDialog open(Gateway g, Window owner) {
        boolean drift = g != null && g.drift;
        DarkDialog d = new DarkDialog(owner, drift ? "Shutdown Progress" : "Shutdown progress", "shutdown_progress");
        d.setButtonStripVisible(false);
        JPanel body = new JPanel(null);
        body.setBackground(Theme.DIALOG_BODY);
        JLabel l = Theme.label(drift ? "Closing IB Gateway..." : "Shutting down, please wait...", 13, Color.WHITE);
        l.setBounds(24, 20 + (drift ? 8 : 0), 320, 18);
        body.add(l);
        JProgressBar pb = new JProgressBar(0, 100);
        pb.setIndeterminate(true);
        pb.setBorderPainted(false);
        pb.setBackground(new Color(60, 60, 60));
        pb.setForeground(Theme.FOCUS_BLUE);
        Theme.role(pb, "shutdown_progress_bar");
        pb.setBounds(24, 50 + (drift ? 8 : 0), 312, 14);
        body.add(pb);
        d.setBody(body);
        d.setSize(360, 130 + (drift ? 10 : 0));
        d.showCentredOn(owner);
        return d;
    }
}
