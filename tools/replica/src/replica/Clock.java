package replica;

import java.time.*;

/** The scenario clock: real time sped up by clock_speed from the moment the replica started, so a daily
 *  auto-logoff at 11:45 PM can be reached in seconds in tests. */
public final class Clock {
    private final double speed;
    private final long startMillis = System.currentTimeMillis();
    private final long baseMillis; // scenario time at start: now, or the scenario's clock_start
    private final Settings settings;

    public Clock(double speed, Settings settings) {
        this(speed, settings, null);
    }

    /** @param startEpochSeconds scenario time at launch (null = the real time), so that what the
     *  replica shows about the time repeats from run to run in corpus captures */
    public Clock(double speed, Settings settings, Double startEpochSeconds) {
        this.speed = speed <= 0 ? 1 : speed;
        this.settings = settings;
        this.baseMillis = startEpochSeconds == null ? startMillis : (long) (startEpochSeconds * 1000);
    }

    public double speed() { return speed; }

    /** Scenario time as epoch milliseconds. */
    public long millis() {
        long real = System.currentTimeMillis() - startMillis;
        return baseMillis + (long) (real * speed);
    }

    public ZoneId zone() {
        String tz = settings == null ? "" : settings.get("time_zone");
        try {
            if (!tz.isEmpty()) return ZoneId.of(tz.replace(' ', '_'));
        } catch (RuntimeException e) { /* fall back to the machine's zone */ }
        return ZoneId.systemDefault();
    }

    public LocalDateTime now() {
        return LocalDateTime.ofInstant(Instant.ofEpochMilli(millis()), zone());
    }

    /** Real milliseconds that correspond to the given scenario seconds (for timers). */
    public long realMillis(double scenarioSeconds) {
        return Math.max(1, (long) (scenarioSeconds * 1000.0 / speed));
    }
}
