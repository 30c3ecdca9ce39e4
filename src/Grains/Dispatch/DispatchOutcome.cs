namespace Provisioning.Grains.Dispatch;

/// <summary>What one workflow dispatch request came to.</summary>
public abstract record DispatchOutcome
{
    private DispatchOutcome()
    {
    }

    /// <summary>GitHub accepted the dispatch; the run's details when it gave them (200), else none (204).</summary>
    public sealed record Dispatched(long? RunId, string? RunApiUrl, string? RunHtmlUrl) : DispatchOutcome;

    /// <summary>A network error, a timeout or a 5xx: try again after a backoff.</summary>
    public sealed record Transient(string Error) : DispatchOutcome;

    /// <summary>A 403/429 rate limit: no request before <see cref="NotBefore"/>.</summary>
    public sealed record RateLimited(DateTimeOffset NotBefore, string Error) : DispatchOutcome;

    /// <summary>401, 404, 422 and the like: retrying cannot help; an operator must act on <see cref="Error"/>.</summary>
    public sealed record Permanent(string Error) : DispatchOutcome;
}
