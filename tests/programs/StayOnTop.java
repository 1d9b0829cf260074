import java.awt.Color;
import java.awt.Graphics;
import javax.swing.JPanel;
import javax.swing.JWindow;
import javax.swing.SwingUtilities;
import javax.swing.Timer;

/** Another program's small window that keeps itself above every window shown after it (a notification
 *  balloon, a screen keyboard): with no window manager, the window mapped last is on top, so this one
 *  raises itself every 100 ms. It never takes the keyboard focus. Arguments: x y width height. */
public class StayOnTop {
    public static void main(String[] args) {
        int x = Integer.parseInt(args[0]), y = Integer.parseInt(args[1]);
        int w = Integer.parseInt(args[2]), h = Integer.parseInt(args[3]);
        SwingUtilities.invokeLater(() -> {
            JWindow window = new JWindow();
            window.setFocusableWindowState(false);
            window.setAutoRequestFocus(false);
            window.setContentPane(new JPanel() {
                @Override
                protected void paintComponent(Graphics g) {
                    g.setColor(new Color(250, 200, 40));
                    g.fillRect(0, 0, getWidth(), getHeight());
                    g.setColor(new Color(30, 30, 30));
                    g.drawString("Reminder: stand up and stretch", 10, 20);
                }
            });
            window.setBounds(x, y, w, h);
            window.setVisible(true);
            new Timer(100, e -> window.toFront()).start();
            System.out.println("READY");
            System.out.flush();
        });
    }
}
