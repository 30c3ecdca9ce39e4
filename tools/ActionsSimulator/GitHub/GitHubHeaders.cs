using System.Globalization;

namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>The headers GitHub sends with every REST answer: a request id, the API version and the rate-limit budget.</summary>
internal static class GitHubHeaders
{
    public const int Limit = 5000;

    public static void Write(HttpResponse response, DateTimeOffset now)
    {
        response.Headers["x-github-request-id"] = Guid.NewGuid().ToString("N")[..20].ToUpperInvariant();
        response.Headers["x-github-api-version-selected"] = "2022-11-28";
        WriteRateLimit(response, remaining: Limit - 1, reset: now.AddHours(1));
    }

    public static void WriteRateLimit(HttpResponse response, int remaining, DateTimeOffset reset)
    {
        response.Headers["x-ratelimit-limit"] = Limit.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-remaining"] = remaining.ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-used"] = (Limit - remaining).ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-reset"] = reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        response.Headers["x-ratelimit-resource"] = "core";
    }
}
