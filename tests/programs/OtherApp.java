import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics;
import javax.swing.JFrame;
import javax.swing.JPanel;
import javax.swing.SwingUtilities;

/** Another application's window (a terminal-like box) to put over or beside the gateway.
 *  Arguments: x y width height. */
public class OtherApp {
    public static void main(String[] args) {
        int x = Integer.parseInt(args[0]), y = Integer.parseInt(args[1]);
        int w = Integer.parseInt(args[2]), h = Integer.parseInt(args[3]);
        SwingUtilities.invokeLater(() -> {
            JFrame frame = new JFrame("Terminal");
            frame.setUndecorated(true);
            frame.setContentPane(new JPanel() {
                @Override
                protected void paintComponent(Graphics g) {
                    g.setColor(new Color(230, 230, 230));
                    g.fillRect(0, 0, getWidth(), 24);
                    g.setColor(new Color(40, 40, 40));
                    g.setFont(new Font("DejaVu Sans", Font.BOLD, 12));
                    g.drawString("user@host: ~", 10, 16);
                    g.setColor(new Color(12, 12, 12));
                    g.fillRect(0, 24, getWidth(), getHeight() - 24);
                    g.setColor(new Color(80, 220, 80));
                    g.setFont(new Font("DejaVu Sans Mono", Font.PLAIN, 12));
                    String[] lines = {"$ docker compose logs -f ibga", "ibga  | waiting for the login window",
                        "ibga  | login window recognised", "$ _"};
                    for (int i = 0; i < lines.length; i++) g.drawString(lines[i], 10, 44 + 16 * i);
                }
            });
            frame.setBounds(x, y, w, h);
            frame.setVisible(true);
            System.out.println("READY");
            System.out.flush();
        });
    }
}
