package replica;

import java.awt.*;
import java.util.List;
import javax.swing.*;

/** Screen "login_messages": the "Login Messages" window (JavaFX in the real gateway, so automation sees
 *  pixels only) listing account messages, each with "Later", and "Resume Login" at the bottom. The login
 *  waits here; there is no timeout. Layout is a guess. */
public class LoginMessagesDialog extends JDialog {
    private final Gateway gw;
    private boolean closed;

    public LoginMessagesDialog(Window owner, List<String> messages, Runnable onResume) {
        super(owner, "Login Messages", ModalityType.MODELESS);
        gw = Gateway.get();
        setUndecorated(true);
        Theme.screen(this, "login_messages");
        int w = 560, rowH = 56, h = 22 + 50 + messages.size() * rowH + 70;
        JPanel root = new JPanel(null);
        root.setBackground(new Color(244, 244, 246));
        root.setBorder(BorderFactory.createLineBorder(new Color(102, 102, 102), 1));
        Theme.TitleBar bar = new Theme.TitleBar(this, "Login Messages", false);
        bar.closeOnly = true;
        bar.setBounds(1, 1, w - 2, 20);
        root.add(bar);
        JLabel head = new JLabel("You have " + messages.size() + " message" + (messages.size() == 1 ? "" : "s")
                + " to review before continuing.");
        head.setFont(Theme.font(13));
        head.setForeground(new Color(30, 30, 30));
        head.setBounds(20, 34, w - 40, 20);
        root.add(head);
        int y = 70;
        for (int i = 0; i < messages.size(); i++) {
            JLabel m = new JLabel("<html>" + escape(messages.get(i)) + "</html>");
            m.setFont(Theme.font(12));
            m.setForeground(new Color(30, 30, 30));
            m.setVerticalAlignment(SwingConstants.TOP);
            m.setBounds(20, y, w - 140, rowH - 8);
            Theme.role(m, "message_" + i);
            root.add(m);
            JButton later = new JButton("Later");
            later.setFont(Theme.font(12));
            later.setBounds(w - 100, y, 80, 26);
            Theme.role(later, "later_button_" + i);
            final int idx = i;
            later.addActionListener(e -> {
                gw.events.event("click", "role", "later_button_" + idx, "screen", "login_messages");
                later.setEnabled(false);
                later.setText("Later \u2713");
            });
            root.add(later);
            y += rowH;
        }
        JButton resume = new JButton("Resume Login");
        resume.setFont(Theme.font(13));
        resume.setBackground(new Color(18, 104, 178));
        resume.setForeground(Color.WHITE);
        resume.setBounds((w - 160) / 2, h - 52, 160, 32);
        Theme.role(resume, "resume_login_button");
        resume.addActionListener(e -> {
            gw.events.event("click", "role", "resume_login_button", "screen", "login_messages");
            close();
            onResume.run();
        });
        root.add(resume);
        setContentPane(root);
        setSize(w, h);
        getRootPane().setDefaultButton(resume);
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    public void open(Window over) {
        Theme.centreOn(this, over);
        gw.register(this);
        setVisible(true);
        toFront();
        gw.grabFocus(this, getRootPane().getDefaultButton());
        gw.events.event("window_shown", "screen", "login_messages", "title", getTitle());
    }

    public void close() {
        if (closed) return;
        closed = true;
        setVisible(false);
        dispose();
        gw.events.event("window_closed", "screen", "login_messages", "title", getTitle());
    }
}
