using System.Diagnostics;
using System.Net.Http.Headers;

namespace Provisioning.ScaleBench;

/// <summary>GET requests over loopback: latency percentiles one request at a time, and reads through many job grains at once.</summary>
public static class TimedRequests
{
    /// <summary>
    /// For each <c>--path</c> (<c>label=/path</c>): 10 unmeasured requests, then <c>--requests</c> one after another; prints
    /// <c>label p50 p99</c> in milliseconds per line. Any answer but 200 fails the run.
    /// </summary>
    public static async Task<int> RunAsync(Arguments args)
    {
        using var http = Client(args);
        var requests = args.Int("requests", 200);
        foreach (var labelled in args.All("path"))
        {
            var (label, path) = (labelled[..labelled.IndexOf('=')], labelled[(labelled.IndexOf('=') + 1)..]);
            var times = new List<double>(requests);
            for (var i = 0; i < requests + 10; i++)
            {
                var watch = Stopwatch.StartNew();
                using var response = await http.GetAsync(path, HttpCompletionOption.ResponseContentRead);
                watch.Stop();
                if (!response.IsSuccessStatusCode)
                {
                    Console.Error.WriteLine($"GET {path} answered {(int)response.StatusCode}");
                    return 1;
                }

                if (i >= 10)
                {
                    times.Add(watch.Elapsed.TotalMilliseconds);
                }
            }

            times.Sort();
            Console.WriteLine($"{label} {Percentile(times, 0.50):F1} {Percentile(times, 0.99):F1}");
        }

        return 0;
    }

    /// <summary>
    /// GET /api/jobs/{id} for <c>--count</c> job ids (<c>--prefix</c> + 1..count) from <c>--concurrency</c> readers: each
    /// activates the job's grain, which reads its state. Prints the reads per second.
    /// </summary>
    public static async Task<int> ReadGrainsAsync(Arguments args)
    {
        using var http = Client(args);
        var count = args.Int("count", 200_000);
        var prefix = args.Get("prefix", "evt_scale_");
        var next = 0;
        var failed = 0;
        var watch = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, args.Int("concurrency", 32)).Select(async _ =>
        {
            int n;
            while ((n = Interlocked.Increment(ref next)) <= count)
            {
                using var response = await http.GetAsync($"/api/jobs/{prefix}{n}");
                if (!response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref failed);
                }
            }
        }));
        Console.WriteLine($"read {count} jobs through their grains in {watch.Elapsed.TotalSeconds:F0} s ({count / watch.Elapsed.TotalSeconds:F0}/s), {failed} not 200");
        return failed == 0 ? 0 : 1;
    }

    private static HttpClient Client(Arguments args)
    {
        var http = new HttpClient { BaseAddress = new Uri(args.Get("gateway")), Timeout = TimeSpan.FromSeconds(60) };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", args.Get("key"));
        return http;
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
}
