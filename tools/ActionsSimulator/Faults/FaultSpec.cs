using System.Text.Json.Serialization;

namespace Provisioning.ActionsSimulator.Faults;

/// <summary>
/// A fault as <c>POST /_simulator/faults</c> and <c>Simulator:Faults</c> describe it. Which fields apply depends on
/// <see cref="Kind"/>; a field that does not apply to the kind is an error, so a typo never passes silently.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class FaultSpec
{
    /// <summary>One of <see cref="FaultKinds.All"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>How many matching dispatch requests the fault applies to. Absent or null: 1. Zero: every one, until cleared.</summary>
    public int? Times { get; set; }

    /// <summary>Only dispatch requests whose <c>inputs.job_id</c> is this value match. Absent: every dispatch request.</summary>
    public string? JobId { get; set; }

    /// <summary>The status code answered (<c>status</c>, <c>rate-limit</c>, <c>rate-limit-reset</c>).</summary>
    public int? Status { get; set; }

    /// <summary><c>timeout</c>: how long the request is held; <c>rate-limit</c>: retry-after; <c>rate-limit-reset</c>: time to the reset.</summary>
    public int? Seconds { get; set; }

    /// <summary><c>latency</c>: the delay before the normal answer.</summary>
    public int? Milliseconds { get; set; }

    /// <summary>The error body's <c>message</c> (<c>status</c>, <c>rate-limit</c>, <c>rate-limit-reset</c>). Default: GitHub's wording.</summary>
    public string? Message { get; set; }

    /// <summary>What is wrong with the fault, by field name; empty when it can be queued.</summary>
    public Dictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>();
        if (!FaultKinds.All.Contains(Kind))
        {
            problems["kind"] = [$"'{Kind}' is not a fault kind; one of: {string.Join(", ", FaultKinds.All)}."];
            return problems;
        }

        if (Times < 0)
        {
            problems["times"] = ["Must be 0 (until cleared) or more."];
        }

        if (JobId is { Length: 0 })
        {
            problems["jobId"] = ["Must not be empty; leave it out to match every job."];
        }

        Check(problems, "status", Status, StatusRule());
        Check(problems, "seconds", Seconds, Kind is FaultKinds.Timeout or FaultKinds.RateLimit or FaultKinds.RateLimitReset
            ? (s => s >= 0, "Must be 0 or more.") : null);
        Check(problems, "milliseconds", Milliseconds, Kind is FaultKinds.Latency ? (ms => ms >= 0, "Must be 0 or more.") : null);
        if (Message is not null && Kind is not (FaultKinds.Status or FaultKinds.RateLimit or FaultKinds.RateLimitReset))
        {
            problems["message"] = [$"Does not apply to a '{Kind}' fault."];
        }

        return problems;
    }

    /// <summary>The fault with its defaults filled in, as it is queued.</summary>
    public Fault ToFault(long id) => new(
        id,
        Kind,
        Times ?? 1,
        Times == 0 ? null : Times ?? 1,
        JobId,
        Status ?? Kind switch
        {
            FaultKinds.Status => 500,
            FaultKinds.RateLimit => 429,
            FaultKinds.RateLimitReset => 403,
            _ => null,
        },
        Seconds ?? Kind switch
        {
            FaultKinds.Timeout => 120,
            FaultKinds.RateLimit or FaultKinds.RateLimitReset => 60,
            _ => null,
        },
        Milliseconds ?? (Kind == FaultKinds.Latency ? 1000 : null),
        Message);

    private (Func<int, bool> IsValid, string Message)? StatusRule() => Kind switch
    {
        FaultKinds.Status => (s => s is >= 400 and <= 599, "Must be an error status, 400 to 599."),
        FaultKinds.RateLimit or FaultKinds.RateLimitReset => (s => s is 403 or 429, "GitHub's rate limits answer 403 or 429."),
        _ => null,
    };

    private void Check(Dictionary<string, string[]> problems, string field, int? value, (Func<int, bool> IsValid, string Message)? rule)
    {
        if (value is not { } actual)
        {
            return;
        }

        if (rule is null)
        {
            problems[field] = [$"Does not apply to a '{Kind}' fault."];
        }
        else if (!rule.Value.IsValid(actual))
        {
            problems[field] = [rule.Value.Message];
        }
    }
}
