package replica;

import java.io.*;
import java.net.*;
import java.nio.charset.StandardCharsets;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.*;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * The gateway's TWS API socket: just enough of the wire protocol for a real client
 * (ib_async, the official ibapi) to connect, sync and ask for the time.
 *
 * Wire format: the client opens with "API\0" + a length-prefixed "v<min>..<max>[ options]";
 * every later message in either direction is a 4-byte big-endian length followed by
 * NUL-terminated text fields, the first field being the message id.
 * Field layouts follow ib_async's client.py (requests) and decoder.py (answers).
 */
public final class ApiServer {
    /** Highest protocol version we speak. 178 is ib_async's max; newer versions change
     *  layouts we answer with (error time stamps at 194, protobuf from 201). */
    static final int MAX_SERVER_VERSION = 178;
    /** Largest message we accept; real clients send a few hundred bytes. */
    private static final int MAX_MESSAGE = 1 << 20;

    // Incoming request ids (client.py).
    private static final int REQ_OPEN_ORDERS = 5, REQ_ACCOUNT_UPDATES = 6, REQ_EXECUTIONS = 7,
            REQ_IDS = 8, REQ_CONTRACT_DETAILS = 9, REQ_AUTO_OPEN_ORDERS = 15, REQ_ALL_OPEN_ORDERS = 16,
            REQ_MANAGED_ACCTS = 17, REQ_CURRENT_TIME = 49, REQ_MARKET_DATA_TYPE = 59, REQ_POSITIONS = 61,
            REQ_ACCOUNT_SUMMARY = 62, CANCEL_ACCOUNT_SUMMARY = 63, CANCEL_POSITIONS = 64, START_API = 71,
            REQ_POSITIONS_MULTI = 74, CANCEL_POSITIONS_MULTI = 75, REQ_ACCOUNT_UPDATES_MULTI = 76,
            CANCEL_ACCOUNT_UPDATES_MULTI = 77, REQ_COMPLETED_ORDERS = 99;
    // Outgoing message ids (decoder.py).
    private static final int ERR_MSG = 4, ACCT_VALUE = 6, ACCT_UPDATE_TIME = 8, NEXT_VALID_ID = 9,
            MANAGED_ACCTS = 15, CURRENT_TIME = 49, CONTRACT_DATA_END = 52, OPEN_ORDER_END = 53,
            ACCT_DOWNLOAD_END = 54, EXECUTION_DATA_END = 55, POSITION_END = 62, ACCOUNT_SUMMARY_END = 64,
            POSITION_MULTI_END = 72, ACCOUNT_UPDATE_MULTI_END = 74, COMPLETED_ORDERS_END = 102;

    private final EventLog log;
    private final String accountId;
    private final AtomicInteger nextOrderId = new AtomicInteger(1);
    private final Set<Conn> conns = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile LongSupplier clock = System::currentTimeMillis;
    private volatile ZoneId zone = ZoneId.systemDefault();
    private volatile Runnable onChange;
    private volatile boolean frozen;

    public ApiServer(EventLog log, String accountId) {
        this.log = log;
        this.accountId = accountId;
    }

    /** Optional: where "now" comes from (epoch millis), e.g. the scenario clock. */
    public void setTimeSource(LongSupplier epochMillis) { this.clock = epochMillis; }

    /** Optional: the gateway's configured time zone, shown in the handshake's connection time. */
    public void setZone(ZoneId zone) { this.zone = zone; }

    /** Optional: called (on a server thread) whenever a client connects or disconnects. */
    public void setOnChange(Runnable r) { this.onChange = r; }

    /** A hung gateway (scenario api_freeze_after_s): the kernel still accepts connections, nobody answers. */
    public void setFrozen(boolean f) { frozen = f; }

    public synchronized void start(int port) throws IOException {
        if (isListening()) {
            if (server.getLocalPort() == port) return;
            stop();
        }
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true); // a restart must not wait for TIME_WAIT sockets
        try {
            s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        } catch (IOException e) {
            s.close();
            throw e;
        }
        server = s;
        Thread t = new Thread(() -> acceptLoop(s), "api-accept-" + s.getLocalPort());
        t.setDaemon(true);
        t.start();
        log.event("api_listening", "port", s.getLocalPort());
    }

    public synchronized void stop() {
        ServerSocket s = server;
        server = null;
        if (s == null) return;
        try { s.close(); } catch (IOException e) { /* closing anyway */ }
        for (Conn c : conns) c.close();
        conns.clear();
        log.event("api_closed", "port", s.getLocalPort());
        fireChange();
    }

    public boolean isListening() {
        ServerSocket s = server;
        return s != null && !s.isClosed();
    }

    /** The bound port (useful when started on port 0), or -1 when not listening. */
    public int port() {
        ServerSocket s = server;
        return s == null ? -1 : s.getLocalPort();
    }

    /** Client ids of connections that completed startApi, for the main window's client list. */
    public List<Integer> clientIds() {
        List<Integer> ids = new ArrayList<>();
        for (Conn c : conns) if (c.clientId != null) ids.add(c.clientId);
        Collections.sort(ids);
        return ids;
    }

    private void acceptLoop(ServerSocket s) {
        while (!s.isClosed()) {
            Socket sock;
            try {
                while (frozen && !s.isClosed()) Thread.sleep(50);
                sock = s.accept();
            } catch (IOException | InterruptedException e) {
                break; // closed by stop()
            }
            Conn c = new Conn(sock);
            if (server != s) { c.close(); break; } // stop() raced with accept
            conns.add(c);
            Thread t = new Thread(c::run, "api-client-" + sock.getPort());
            t.setDaemon(true);
            t.start();
        }
    }

    private void fireChange() {
        Runnable r = onChange;
        if (r != null) {
            try { r.run(); } catch (RuntimeException e) { /* a UI listener must not kill the socket thread */ }
        }
    }

    /** One API client connection, served by its own thread. */
    private final class Conn {
        final Socket sock;
        DataOutputStream out;
        int version;
        volatile Integer clientId;
        final Set<Integer> ignoredLogged = new HashSet<>();

        Conn(Socket sock) { this.sock = sock; }

        void run() {
            try {
                sock.setTcpNoDelay(true);
                DataInputStream in = new DataInputStream(new BufferedInputStream(sock.getInputStream()));
                out = new DataOutputStream(new BufferedOutputStream(sock.getOutputStream()));
                if (!handshake(in)) return;
                while (true) {
                    List<String> f = readMessage(in);
                    if (f == null) return;
                    if (!handle(f)) return;
                }
            } catch (IOException e) {
                // peer went away or stop() closed the socket
            } finally {
                close();
                conns.remove(this);
                if (clientId != null) {
                    log.event("api_client_disconnected", "client_id", clientId);
                    fireChange();
                }
            }
        }

        /** "API\0" + "v<min>..<max>" → "<version>\0<connection time>\0". */
        boolean handshake(DataInputStream in) throws IOException {
            byte[] magic = new byte[4];
            in.readFully(magic);
            if (!"API\0".equals(new String(magic, StandardCharsets.ISO_8859_1))) {
                log.event("api_bad_handshake");
                return false;
            }
            byte[] body = readFrame(in);
            if (body == null) return false;
            String v = new String(body, StandardCharsets.UTF_8).trim();
            int sp = v.indexOf(' '); // connect options such as "+PACEAPI" follow a space
            if (sp >= 0) v = v.substring(0, sp);
            if (!v.startsWith("v")) { log.event("api_bad_handshake"); return false; }
            int min, max;
            try {
                String[] r = v.substring(1).split("\\.\\.");
                min = Integer.parseInt(r[0]);
                max = r.length > 1 ? Integer.parseInt(r[1]) : min;
            } catch (RuntimeException e) {
                log.event("api_bad_handshake");
                return false;
            }
            // Like the real gateway: the highest version both sides know. A client whose
            // minimum is above ours gets our version and disconnects by itself.
            version = Math.min(max, MAX_SERVER_VERSION);
            String when = ZonedDateTime.ofInstant(java.time.Instant.ofEpochMilli(clock.getAsLong()), zone)
                    .format(DateTimeFormatter.ofPattern("yyyyMMdd HH:mm:ss z", Locale.US));
            send(String.valueOf(version), when);
            return true;
        }

        /** Returns false to drop the connection. */
        boolean handle(List<String> f) throws IOException {
            int id;
            try { id = Integer.parseInt(f.get(0)); } catch (RuntimeException e) { return true; }
            switch (id) {
                case START_API: { // 71, version, clientId, optCapab
                    int cid = intField(f, 2, 0);
                    for (Conn o : conns) {
                        if (o != this && o.clientId != null && o.clientId == cid) {
                            error(-1, 326, "Unable to connect as the client id is already in use. "
                                    + "Retry with a unique client id.");
                            log.event("api_client_rejected", "client_id", cid, "reason", "client id in use");
                            return false;
                        }
                    }
                    clientId = cid;
                    send(MANAGED_ACCTS, 1, accountId);
                    send(NEXT_VALID_ID, 1, nextOrderId.get());
                    // The farm status notices every real gateway sends to a new client.
                    error(-1, 2104, "Market data farm connection is OK:usfarm");
                    error(-1, 2106, "HMDS data farm connection is OK:ushmds");
                    error(-1, 2158, "Sec-def data farm connection is OK:secdefnj");
                    log.event("api_client_connected", "client_id", cid, "server_version", version);
                    fireChange();
                    return true;
                }
                case REQ_CURRENT_TIME:
                    send(CURRENT_TIME, 1, clock.getAsLong() / 1000);
                    return true;
                case REQ_MANAGED_ACCTS:
                    send(MANAGED_ACCTS, 1, accountId);
                    return true;
                case REQ_IDS:
                    send(NEXT_VALID_ID, 1, nextOrderId.get());
                    return true;
                case REQ_POSITIONS:
                    send(POSITION_END, 1); // no positions
                    return true;
                case REQ_OPEN_ORDERS:
                case REQ_ALL_OPEN_ORDERS:
                    send(OPEN_ORDER_END, 1); // no open orders
                    return true;
                case REQ_COMPLETED_ORDERS: // 99, apiOnly (no version field)
                    send(COMPLETED_ORDERS_END); // no version field either
                    return true;
                case REQ_ACCOUNT_UPDATES: { // 6, version, subscribe, account
                    if (!"1".equals(field(f, 2))) return true; // unsubscribe: nothing to say
                    String acct = field(f, 3).isEmpty() ? accountId : field(f, 3);
                    accountValues(acct);
                    send(ACCT_UPDATE_TIME, 1, ZonedDateTime.ofInstant(
                            java.time.Instant.ofEpochMilli(clock.getAsLong()), zone)
                            .format(DateTimeFormatter.ofPattern("HH:mm", Locale.US)));
                    send(ACCT_DOWNLOAD_END, 1, acct);
                    return true;
                }
                case REQ_ACCOUNT_UPDATES_MULTI: // 76, version, reqId, account, modelCode, ledgerAndNLV
                    send(ACCOUNT_UPDATE_MULTI_END, 1, intField(f, 2, 0));
                    return true;
                case REQ_POSITIONS_MULTI: // 74, version, reqId, account, modelCode
                    send(POSITION_MULTI_END, 1, intField(f, 2, 0));
                    return true;
                case REQ_ACCOUNT_SUMMARY: // 62, version, reqId, group, tags
                    send(ACCOUNT_SUMMARY_END, 1, intField(f, 2, 0));
                    return true;
                case REQ_EXECUTIONS: // 7, version, reqId, filter...
                    send(EXECUTION_DATA_END, 1, intField(f, 2, 0)); // no executions today
                    return true;
                case REQ_CONTRACT_DETAILS: { // 9, version, reqId, contract...
                    int req = intField(f, 2, 0);
                    error(req, 200, "No security definition has been found for the request");
                    send(CONTRACT_DATA_END, 1, req);
                    return true;
                }
                case REQ_AUTO_OPEN_ORDERS:
                case REQ_MARKET_DATA_TYPE:
                case CANCEL_ACCOUNT_SUMMARY:
                case CANCEL_POSITIONS:
                case CANCEL_POSITIONS_MULTI:
                case CANCEL_ACCOUNT_UPDATES_MULTI:
                    return true; // acknowledged silently, as the real gateway does
                default:
                    // Anything else (market data, orders, history...) is not simulated: ignore it
                    // without answering, and log each kind once per connection.
                    if (ignoredLogged.add(id)) log.event("api_request_ignored", "msg_id", id, "client_id", clientId);
                    return true;
            }
        }

        /** A handful of account values so account-update subscribers see a plausible account. */
        void accountValues(String acct) throws IOException {
            send(ACCT_VALUE, 2, "AccountCode", acct, "", acct);
            send(ACCT_VALUE, 2, "AccountReady", "true", "", acct);
            send(ACCT_VALUE, 2, "AccountType", "INDIVIDUAL", "", acct);
            send(ACCT_VALUE, 2, "Currency", "USD", "USD", acct);
            send(ACCT_VALUE, 2, "NetLiquidation", "1000000.00", "USD", acct);
            send(ACCT_VALUE, 2, "TotalCashValue", "1000000.00", "USD", acct);
            send(ACCT_VALUE, 2, "BuyingPower", "4000000.00", "USD", acct);
        }

        void error(int reqId, int code, String msg) throws IOException {
            if (version >= 166) send(ERR_MSG, 2, reqId, code, msg, ""); // + advancedOrderRejectJson
            else send(ERR_MSG, 2, reqId, code, msg);
        }

        /** One length-prefixed message of NUL-terminated fields. */
        void send(Object... fields) throws IOException {
            StringBuilder sb = new StringBuilder();
            for (Object o : fields) sb.append(o).append('\0');
            byte[] b = sb.toString().getBytes(StandardCharsets.UTF_8);
            synchronized (this) {
                out.writeInt(b.length);
                out.write(b);
                out.flush();
            }
        }

        List<String> readMessage(DataInputStream in) throws IOException {
            byte[] b = readFrame(in);
            if (b == null) return null;
            String s = new String(b, StandardCharsets.UTF_8);
            List<String> f = new ArrayList<>(Arrays.asList(s.split("\0", -1)));
            if (!f.isEmpty() && f.get(f.size() - 1).isEmpty()) f.remove(f.size() - 1); // trailing NUL
            if (f.isEmpty()) f.add("");
            return f;
        }

        byte[] readFrame(DataInputStream in) throws IOException {
            int n;
            try { n = in.readInt(); } catch (EOFException e) { return null; }
            if (n < 0 || n > MAX_MESSAGE) {
                log.event("api_bad_message", "length", n);
                return null;
            }
            byte[] b = new byte[n];
            in.readFully(b);
            return b;
        }

        String field(List<String> f, int i) { return i < f.size() ? f.get(i) : ""; }

        int intField(List<String> f, int i, int dflt) {
            try { return Integer.parseInt(field(f, i).trim()); } catch (NumberFormatException e) { return dflt; }
        }

        void close() {
            try { sock.close(); } catch (IOException e) { /* already closed */ }
        }
    }
}
