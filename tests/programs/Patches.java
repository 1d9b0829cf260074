import java.awt.Color;
import java.awt.Graphics;
import javax.swing.JFrame;
import javax.swing.JPanel;
import javax.swing.SwingUtilities;

/** Paints known colours at known places, so a test can check a grabbed frame pixel by pixel. */
public class Patches {
    public static void main(String[] args) {
        SwingUtilities.invokeLater(() -> {
            JFrame frame = new JFrame("Patches");
            frame.setUndecorated(true);
            frame.setContentPane(new JPanel() {
                @Override
                protected void paintComponent(Graphics g) {
                    g.setColor(new Color(255, 0, 0));
                    g.fillRect(0, 0, 100, 100);
                    g.setColor(new Color(0, 128, 255));
                    g.fillRect(100, 0, 100, 100);
                    g.setColor(new Color(17, 200, 33));
                    g.fillRect(0, 100, 200, 50);
                }
            });
            frame.setBounds(40, 30, 200, 150);
            frame.setVisible(true);
            System.out.println("READY");
            System.out.flush();
        });
    }
}
