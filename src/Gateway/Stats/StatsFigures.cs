namespace Provisioning.Gateway.Stats;

/// <summary>Turns the kept figures into a window's intervals and totals; percentiles come from the durations' histogram.</summary>
public static class StatsFigures
{
    /// <summary>Bucket <c>b</c> of the durations holds (2^((b-1)/4), 2^(b/4)] seconds (<c>db/0010_job_stats.sql</c>).</summary>
    public static double BucketUpperSeconds(int bucket) => Math.Pow(2, bucket / 4.0);

    public static (IReadOnlyList<StatsInterval> Intervals, StatsInterval Totals) Build(
        StatsWindow window, DateTimeOffset start, IReadOnlyList<StatsQuery.Figure> figures)
    {
        var byStart = figures.ToLookup(f => f.At.ToUnixTimeSeconds());
        var intervals = new List<StatsInterval>(window.Intervals);
        for (var i = 0; i < window.Intervals; i++)
        {
            var at = start.AddSeconds((long)i * window.WidthSeconds);
            intervals.Add(Interval(at, byStart[at.ToUnixTimeSeconds()].ToList()));
        }

        var inWindow = figures.Where(f => f.At >= start).ToList();
        return (intervals, Interval(start, inWindow));
    }

    private static StatsInterval Interval(DateTimeOffset start, IReadOnlyList<StatsQuery.Figure> figures)
    {
        long Sum(string metric) => figures.Where(f => f.Metric == metric).Sum(f => f.Value);
        var durations = figures.Where(f => f.Metric == "paid_to_succeeded")
            .GroupBy(f => f.Bucket)
            .Select(g => (Bucket: g.Key, Count: g.Sum(f => f.Value)))
            .OrderBy(b => b.Bucket)
            .ToList();
        return new StatsInterval(
            start, Sum("received"), Sum("succeeded"), Sum("failed"), Sum("cancelled"), Sum("dispatch_retries"), Sum("rate_limit_waits"),
            Percentile(durations, 0.50), Percentile(durations, 0.95));
    }

    /// <summary>The upper bound of the bucket that holds the <paramref name="fraction"/>-th duration; null without any.</summary>
    public static double? Percentile(IReadOnlyList<(int Bucket, long Count)> buckets, double fraction)
    {
        var total = buckets.Sum(b => b.Count);
        if (total == 0)
        {
            return null;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(fraction * total));
        long seen = 0;
        foreach (var (bucket, count) in buckets)
        {
            seen += count;
            if (seen >= rank)
            {
                return Math.Round(BucketUpperSeconds(bucket), 1);
            }
        }

        return Math.Round(BucketUpperSeconds(buckets[^1].Bucket), 1);
    }
}
