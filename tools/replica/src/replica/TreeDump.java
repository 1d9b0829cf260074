package replica;

import java.awt.*;
import java.util.*;
import java.util.List;
import javax.swing.*;
import javax.swing.text.JTextComponent;

/** Walks every visible Window on the EDT and describes it in the tree JSON of the replica contract. Boxes come
 *  from getLocationOnScreen() at request time. Password values are never reported, only their length. */
public final class TreeDump {
    private TreeDump() {}

    /** Must be called on the EDT. */
    public static Map<String, Object> dump() {
        List<Window> ws = new ArrayList<>();
        for (Window w : Window.getWindows()) {
            if (w.isShowing()) ws.add(w);
        }
        // z order: without a window manager the most recently shown/raised window is on top; Window.getWindows
        // lists in creation order, so rank by the order toFront/show was called (tracked by Gateway), else by
        // creation order (later = higher).
        Gateway gw = Gateway.get();
        List<Window> order = gw != null ? gw.stackingOrder(ws) : reverse(ws);
        List<Object> out = new ArrayList<>();
        int z = 0;
        for (Window w : order) out.add(window(w, z++));
        return Json.obj("windows", out);
    }

    private static List<Window> reverse(List<Window> ws) {
        List<Window> r = new ArrayList<>(ws);
        Collections.reverse(r);
        return r;
    }

    private static Map<String, Object> window(Window w, int z) {
        Map<String, Object> m = new LinkedHashMap<>();
        String title = w instanceof Frame ? ((Frame) w).getTitle() : w instanceof Dialog ? ((Dialog) w).getTitle() : "";
        m.put("title", title == null ? "" : title);
        // heavyweight popups (combo lists, menus that leave their window) are JWindows: kind "popup"
        m.put("kind", w instanceof Dialog ? "dialog" : w instanceof Frame ? "frame" : w instanceof JWindow ? "popup" : "window");
        String screen = null;
        Map<String, Object> state = new LinkedHashMap<>();
        if (w instanceof RootPaneContainer) {
            JRootPane rp = ((RootPaneContainer) w).getRootPane();
            Object s = rp.getClientProperty("ibga.screen");
            if (s != null) screen = s.toString();
            Object st = rp.getClientProperty("ibga.state");
            if (st instanceof Map) {
                for (Map.Entry<?, ?> e : ((Map<?, ?>) st).entrySet()) state.put(String.valueOf(e.getKey()), e.getValue());
            }
        }
        if (screen == null && w.getOwner() instanceof RootPaneContainer) {
            Object s = ((RootPaneContainer) w.getOwner()).getRootPane().getClientProperty("ibga.screen");
            if (s != null) screen = s.toString();
        }
        m.put("screen", screen == null ? "unknown" : screen);
        m.put("box", box(w));
        m.put("z", z);
        m.put("active", w.isActive() || w.isFocused());
        m.put("state", state);
        List<Object> comps = new ArrayList<>();
        // the layered pane holds the content pane and the popup layer (menus, combo lists drawn inside the window)
        if (w instanceof RootPaneContainer) walk(((RootPaneContainer) w).getRootPane().getLayeredPane(), comps);
        else walk(w, comps);
        m.put("components", comps);
        return m;
    }

    private static int[] box(Component c) {
        Point p = c.getLocationOnScreen();
        return new int[] {p.x, p.y, c.getWidth(), c.getHeight()};
    }

    /** The part of a component that can be seen (inside its scroll panes and parents), in screen pixels;
     *  null when none of it can. A click on this box's centre lands on the control. */
    private static int[] visibleBox(JComponent c) {
        Rectangle v = c.getVisibleRect();
        if (v.isEmpty()) return null;
        Point p = c.getLocationOnScreen();
        return new int[] {p.x + v.x, p.y + v.y, v.width, v.height};
    }

    private static void walk(Container parent, List<Object> out) {
        for (Component c : parent.getComponents()) {
            if (!c.isShowing()) continue;
            Map<String, Object> d = describe(c);
            if (d != null) out.add(d);
            if (c instanceof JComboBox || c instanceof JTextComponent || c instanceof AbstractButton
                    || c instanceof JList || c instanceof JTree || c instanceof JTable) continue;
            if (c instanceof Container) walk((Container) c, out);
        }
    }

    private static Map<String, Object> describe(Component c) {
        if (!(c instanceof JComponent)) return null;
        JComponent jc = (JComponent) c;
        String role = Theme.roleOf(jc);
        String kind = kindOf(jc);
        if (kind == null && role == null) return null;
        if (kind == null) kind = "component";
        int[] visible = visibleBox(jc);
        if (visible == null) return null; // scrolled out of view or clipped away: no click target
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("kind", kind);
        m.put("role", role);
        String text = "";
        if (jc instanceof JPasswordField && isSecret(jc)) {
            m.put("length", ((JPasswordField) jc).getDocument().getLength());
        } else if (jc instanceof JTextComponent) {
            text = ((JTextComponent) jc).getText();
        } else if (jc instanceof AbstractButton) {
            text = ((AbstractButton) jc).getText();
        } else if (jc instanceof JLabel) {
            text = ((JLabel) jc).getText();
        } else if (jc instanceof JComboBox) {
            Object s = ((JComboBox<?>) jc).getSelectedItem();
            text = s == null ? "" : s.toString();
        } else if (jc instanceof JProgressBar) {
            text = ((JProgressBar) jc).getString();
        }
        Object override = jc.getClientProperty("ibga.text");
        if (override != null) text = override.toString();
        if (text != null && text.regionMatches(true, 0, "<html>", 0, 6)) {
            text = text.replaceAll("(?i)<br\\s*/?>", "\n").replaceAll("<[^>]*>", "").replace("&lt;", "<")
                    .replace("&gt;", ">").replace("&amp;", "&").trim();
        }
        m.put("text", text == null ? "" : text);
        int[] whole = box(jc);
        m.put("box", visible);
        if (!Arrays.equals(visible, whole)) m.put("full_box", whole);
        int[] indicator = indicatorBox(jc);
        if (indicator != null) m.put("indicator", indicator);
        boolean selected = jc instanceof AbstractButton && ((AbstractButton) jc).isSelected();
        m.put("selected", selected);
        m.put("enabled", jc.isEnabled());
        m.put("editable", jc instanceof JTextComponent ? ((JTextComponent) jc).isEditable() && jc.isEnabled()
                : jc instanceof JComboBox ? ((JComboBox<?>) jc).isEditable() : false);
        m.put("focused", jc.isFocusOwner());
        if (jc instanceof JComboBox) {
            JComboBox<?> cb = (JComboBox<?>) jc;
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < cb.getItemCount(); i++) items.add(String.valueOf(cb.getItemAt(i)));
            m.put("items", items);
            m.put("index", cb.getSelectedIndex());
            m.put("popup_visible", cb.isPopupVisible());
        } else if (jc instanceof JList) {
            JList<?> l = (JList<?>) jc;
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < l.getModel().getSize(); i++) items.add(String.valueOf(l.getModel().getElementAt(i)));
            m.put("items", items);
            m.put("index", l.getSelectedIndex());
        } else if (jc instanceof JProgressBar) {
            m.put("value", ((JProgressBar) jc).getValue());
        } else if (jc instanceof JTree) {
            JTree t = (JTree) jc;
            List<Object> rows = new ArrayList<>();
            for (int i = 0; i < t.getRowCount(); i++) {
                javax.swing.tree.TreePath p = t.getPathForRow(i);
                StringBuilder b = new StringBuilder();
                for (Object o : p.getPath()) { if (b.length() > 0) b.append('/'); b.append(o); }
                Rectangle r = t.getRowBounds(i).intersection(t.getVisibleRect());
                if (r.isEmpty()) continue; // a row scrolled out of view
                Point o = t.getLocationOnScreen();
                rows.add(Json.obj("path", b.toString(), "box", new int[] {o.x + r.x, o.y + r.y, r.width, r.height},
                        "selected", t.isRowSelected(i), "expanded", t.isExpanded(i)));
            }
            m.put("items", rows);
            m.put("index", t.getMinSelectionRow());
        } else if (jc instanceof JTable) {
            JTable t = (JTable) jc;
            List<Object> rows = new ArrayList<>();
            for (int r = 0; r < t.getRowCount(); r++) {
                List<Object> row = new ArrayList<>();
                for (int k = 0; k < t.getColumnCount(); k++) row.add(String.valueOf(t.getValueAt(r, k)));
                rows.add(row);
            }
            m.put("items", rows);
            m.put("index", t.getSelectedRow());
        }
        Object extra = jc.getClientProperty("ibga.extra");
        if (extra instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) extra).entrySet()) m.put(String.valueOf(e.getKey()), e.getValue());
        }
        return m;
    }

    /** The tick box or radio circle of a checkbox or radio button, in screen pixels: the real gateway's
     *  labels mark that part (a click there toggles the button as a click on its text does). The replica's
     *  own painters say where they draw it (client property "ibga.indicator"); a plain Swing button's is
     *  laid out as its UI does, from its icon. */
    private static int[] indicatorBox(JComponent c) {
        if (!(c instanceof JCheckBox || c instanceof JRadioButton)) return null;
        Rectangle r;
        Object own = c.getClientProperty("ibga.indicator");
        if (own instanceof Rectangle) {
            r = (Rectangle) own;
        } else {
            AbstractButton b = (AbstractButton) c;
            Icon icon = b.getIcon() != null ? b.getIcon()
                    : UIManager.getIcon(c instanceof JCheckBox ? "CheckBox.icon" : "RadioButton.icon");
            if (icon == null) return null;
            Insets in = c.getInsets();
            Rectangle view = new Rectangle(in.left, in.top, c.getWidth() - in.left - in.right,
                    c.getHeight() - in.top - in.bottom);
            r = new Rectangle();
            SwingUtilities.layoutCompoundLabel(c, c.getFontMetrics(c.getFont()), b.getText(), icon,
                    b.getVerticalAlignment(), b.getHorizontalAlignment(), b.getVerticalTextPosition(),
                    b.getHorizontalTextPosition(), view, r, new Rectangle(), b.getIconTextGap());
        }
        Point p = c.getLocationOnScreen();
        return new int[] {p.x + r.x, p.y + r.y, r.width, r.height};
    }

    private static boolean isSecret(JComponent c) {
        // LoginFrame's fields are all JPasswordField; the username ones have echo char 0 and a non-secret flag.
        Object s = c.getClientProperty("ibga.secret");
        if (s instanceof Boolean) return (Boolean) s;
        return ((JPasswordField) c).echoCharIsSet() || c instanceof JPasswordField;
    }

    private static String kindOf(JComponent c) {
        Object k = c.getClientProperty("ibga.kind");
        if (k != null) return k.toString();
        if (c instanceof JPasswordField) return isSecret(c) ? "password" : "text";
        if (c instanceof JTextComponent) return "text";
        if (c instanceof JCheckBox) return "checkbox";
        if (c instanceof JRadioButton) return "radio";
        if (c instanceof JToggleButton) return "toggle";
        if (c instanceof JMenu) return "menu";
        if (c instanceof JMenuItem) return "menu_item";
        if (c instanceof AbstractButton) return "button";
        if (c instanceof JComboBox) return "combo";
        if (c instanceof JList) return "list";
        if (c instanceof JTree) return "tree";
        if (c instanceof JTable) return "table";
        if (c instanceof JProgressBar) return "progress";
        if (c instanceof JSpinner) return "spinner";
        if (c instanceof JLabel) {
            String t = ((JLabel) c).getText();
            return (t == null || t.isEmpty()) && ((JLabel) c).getIcon() == null ? null : "label";
        }
        return null;
    }
}
