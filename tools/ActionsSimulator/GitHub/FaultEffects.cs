using System.Globalization;
using Provisioning.ActionsSimulator.Faults;
using Provisioning.ActionsSimulator.Requests;

namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>
/// What a fault does to a dispatch request. <c>status</c>, the rate limits, <c>timeout</c> and <c>reject-run-details</c>
/// replace the answer before any check; <c>latency</c> delays the normal answer; <c>ignore-run-details</c> changes it at the end.
/// </summary>
public sealed class FaultEffects(TimeProvider time, IHostApplicationLifetime lifetime)
{
    /// <summary>The answer that replaces the normal one, or null when the request goes on.</summary>
    public async Task<IResult?> ApplyAsync(Fault fault, HttpContext context, LoggedRequest entry)
    {
        switch (fault.Kind)
        {
            case FaultKinds.Status:
                return GitHubErrors.Answer(fault.Status!.Value, fault.Message ?? GitHubErrors.DefaultMessage(fault.Status.Value), GitHubDocs.Dispatch);
            case FaultKinds.RateLimit:
                return RateLimited(fault, context.Response, entry);
            case FaultKinds.RateLimitReset:
                return RateLimitExhausted(fault, context.Response, entry);
            case FaultKinds.Timeout:
                await HoldAsync(TimeSpan.FromSeconds(fault.Seconds!.Value), context, entry);
                return Results.Empty;
            case FaultKinds.Latency:
                await Task.Delay(TimeSpan.FromMilliseconds(fault.Milliseconds!.Value), time, context.RequestAborted);
                return null;
            case FaultKinds.RejectRunDetails:
                return GitHubErrors.RunDetailsNotPermitted();
            default:
                return null;
        }
    }

    /// <summary>Holds the request, then closes the connection without an answer; a client that gives up first ends it sooner.</summary>
    private async Task HoldAsync(TimeSpan duration, HttpContext context, LoggedRequest entry)
    {
        using var hold = CancellationTokenSource.CreateLinkedTokenSource(context.RequestAborted, lifetime.ApplicationStopping);
        try
        {
            await Task.Delay(duration, time, hold.Token);
        }
        catch (OperationCanceledException) when (lifetime.ApplicationStopping.IsCancellationRequested)
        {
            // The simulator is stopping: let go of the request now rather than hold up the shutdown.
        }

        entry.MarkUnanswered();
        context.Abort();
    }

    private IResult RateLimited(Fault fault, HttpResponse response, LoggedRequest entry)
    {
        var retryAfter = fault.Seconds!.Value;
        response.Headers.RetryAfter = retryAfter.ToString(CultureInfo.InvariantCulture);
        entry.Update(r => r with { NotBefore = time.GetUtcNow().AddSeconds(retryAfter) });
        return GitHubErrors.Answer(
            fault.Status!.Value,
            fault.Message ?? "You have exceeded a secondary rate limit. Please wait a few minutes before you try again.",
            GitHubDocs.SecondaryRateLimit);
    }

    private IResult RateLimitExhausted(Fault fault, HttpResponse response, LoggedRequest entry)
    {
        var now = time.GetUtcNow();
        var reset = DateTimeOffset.FromUnixTimeSeconds((long)Math.Ceiling((now.AddSeconds(fault.Seconds!.Value) - DateTimeOffset.UnixEpoch).TotalSeconds));
        GitHubHeaders.WriteRateLimit(response, remaining: 0, reset);
        entry.Update(r => r with { NotBefore = reset });
        return GitHubErrors.Answer(
            fault.Status!.Value,
            fault.Message ?? "API rate limit exceeded for user ID 1.",
            GitHubDocs.PrimaryRateLimit);
    }
}
