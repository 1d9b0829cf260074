package replica;

import java.awt.*;
import java.awt.image.BufferedImage;
import javax.swing.*;

/** Screen "connecting_progress": an undecorated frame whose title follows the login stages ("Loading..." →
 *  "Connecting to server..." → "Authenticating..." → "Requesting startup parameters.." → "Initializing
 *  environment..." → "Starting application..."), with the build label, a status label and a progress bar.
 *  No capture of it exists; a JAuto listing puts the status label "Requesting startup parameters.." at
 *  (315,549) 210x15 on 1024x768, i.e. inside a login-sized frame at the login's place, so this frame takes the
 *  login frame's size, place and backdrop, with the labels and bar in the lower part of the column. */
public class ConnectingProgress extends JFrame {
    private final Theme.TitleBar bar;
    private final JLabel status = new JLabel(" ");
    private final JLabel user = new JLabel(" ");
    private final JProgressBar progress = new JProgressBar(0, 100);
    private final Gateway gw;

    public ConnectingProgress(Gateway gw, boolean paper) {
        super("Loading...");
        this.gw = gw;
        setUndecorated(true);
        Theme.screen(this, "connecting_progress");
        final int w = LoginFrame.W, h = LoginFrame.H;
        final BufferedImage bg = LoginFrame.Backgrounds.get(paper, w - 8, h - 25);
        final boolean drift = gw.drift;
        JPanel root = new JPanel(null) {
            @Override protected void paintComponent(Graphics g0) {
                Graphics2D g = (Graphics2D) g0.create();
                g.setColor(new Color(102, 102, 102));
                g.fillRect(0, 0, w, h);
                g.setColor(new Color(128, 130, 133));
                g.fillRect(2, 22, w - 4, h - 24);
                g.setColor(Color.BLACK);
                g.fillRect(2, 22, w - 4, 1);
                g.drawImage(bg, 4, 23, null);
                LoginFrame.paintLogo(g, drift);
                g.dispose();
            }
        };
        root.setOpaque(true);
        bar = new Theme.TitleBar(this, "Loading...", false);
        bar.setBounds(2, 2, w - 4, 20);
        root.add(bar);
        int x = drift ? 186 : 198;
        JLabel build = Theme.label("Build 10.41.1e, Nov 4, 2026 10:12:40 AM", 11, new Color(170, 170, 170));
        build.setBounds(x, 440, 395, 15);
        root.add(build);
        status.setFont(Theme.font(12));
        status.setForeground(Color.WHITE);
        status.setBounds(x, 470, 210, 15);
        Theme.role(status, "status");
        root.add(status);
        progress.setBounds(x, 495, 395, 8);
        progress.setForeground(new Color(18, 104, 178));
        progress.setBackground(new Color(50, 50, 60));
        progress.setBorderPainted(false);
        Theme.role(progress, "progress");
        root.add(progress);
        user.setFont(Theme.font(12));
        user.setForeground(new Color(200, 200, 200));
        user.setBounds(x, 515, 395, 15);
        root.add(user);
        setContentPane(root);
        setSize(w, h);
        Theme.state(this, "stage", "Loading...");
    }

    public void open(String username) {
        user.setText(username == null || username.isEmpty() ? " " : "Logging in " + username);
        Theme.place(this, gw.scenario.windowPosition);
        gw.register(this);
        setVisible(true);
        toFront();
        gw.grabFocus(this, null);
        gw.events.event("window_shown", "screen", "connecting_progress", "title", getTitle());
    }

    /** Change the title (the stage), the status label and the bar. */
    public void stage(String title, String label, int value) {
        setTitle(title);
        bar.setTitle(title);
        String text = label == null ? title : label;
        status.setText(text);
        status.setSize(Math.max(210, status.getPreferredSize().width), 15);
        progress.setValue(value);
        Theme.state(this, "stage", title);
        gw.events.event("progress", "title", title, "value", value);
    }

    public void close() {
        if (!isDisplayable()) return;
        setVisible(false);
        dispose();
        gw.events.event("window_closed", "screen", "connecting_progress", "title", getTitle());
    }
}
