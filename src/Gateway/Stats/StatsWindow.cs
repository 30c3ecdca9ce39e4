namespace Provisioning.Gateway.Stats;

/// <summary>
/// A window of the pipeline's figures: its name in <c>GET /api/stats?window=</c>, its length and the width of its intervals,
/// one of the widths <c>db/0010_job_stats.sql</c> keeps. Intervals start at whole multiples of the width (UTC), and the last
/// one is the interval that holds now.
/// </summary>
public sealed record StatsWindow(string Name, TimeSpan Length, int WidthSeconds)
{
    public static readonly StatsWindow Hour = new("1h", TimeSpan.FromHours(1), 60);
    public static readonly StatsWindow Day = new("24h", TimeSpan.FromHours(24), 900);
    public static readonly StatsWindow Week = new("7d", TimeSpan.FromDays(7), 3600);

    public static IReadOnlyList<StatsWindow> All { get; } = [Hour, Day, Week];

    /// <summary>How many intervals the window shows: 60, 96 or 168.</summary>
    public int Intervals => (int)(Length.TotalSeconds / WidthSeconds);

    /// <summary>The window named <paramref name="text"/> (none: the last hour); false for any other text.</summary>
    public static bool TryParse(string? text, out StatsWindow window)
    {
        window = string.IsNullOrWhiteSpace(text) ? Hour : All.FirstOrDefault(w => w.Name == text.Trim())!;
        return window is not null;
    }

    /// <summary>The start of the window's first interval, for a window that ends with the interval holding <paramref name="now"/>.</summary>
    public DateTimeOffset Start(DateTimeOffset now)
    {
        var current = now.ToUnixTimeSeconds() / WidthSeconds * WidthSeconds;
        return DateTimeOffset.FromUnixTimeSeconds(current - (long)(Intervals - 1) * WidthSeconds);
    }
}
