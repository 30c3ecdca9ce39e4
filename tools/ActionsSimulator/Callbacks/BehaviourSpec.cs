using System.Text.Json.Serialization;

namespace Provisioning.ActionsSimulator.Callbacks;

/// <summary>
/// A run behaviour as <c>POST /_simulator/behaviours</c> and <c>Simulator:Behaviours</c> describe it. Which fields apply
/// depends on <see cref="Kind"/>; a field that does not apply is an error, so a typo never passes silently.
/// </summary>
[JsonUnmappedMemberHandling(JsonUnmappedMemberHandling.Disallow)]
public sealed class BehaviourSpec
{
    public const string DefaultFailMessage = "provisioning failed (simulated by the Actions simulator)";

    public const int DefaultSlowMilliseconds = 30_000;

    /// <summary>One of <see cref="BehaviourKinds.All"/>.</summary>
    public string Kind { get; set; } = "";

    /// <summary>How many runs the behaviour applies to. Absent or null: 1. Zero: every matching run, until cleared.</summary>
    public int? Times { get; set; }

    /// <summary>Only runs dispatched with this <c>inputs.job_id</c> match. Absent: every run.</summary>
    public string? JobId { get; set; }

    /// <summary><c>slow</c>, <c>fail</c>, <c>stale-attempt</c>: how long the run provisions before it completes or fails.</summary>
    public int? Milliseconds { get; set; }

    /// <summary><c>fail</c>: the callback's <c>retryable</c>. Default: false.</summary>
    public bool? Retryable { get; set; }

    /// <summary><c>fail</c>: the callback's <c>message</c>. Default: <see cref="DefaultFailMessage"/>.</summary>
    public string? Message { get; set; }

    /// <summary>
    /// <c>stale-attempt</c>: the attempt sent in every callback. Default: the dispatched attempt minus one, or for attempt 1
    /// (there is no attempt 0) attempt 2.
    /// </summary>
    public int? Attempt { get; set; }

    /// <summary>What is wrong with the behaviour, by field name; empty when it can be queued.</summary>
    public Dictionary<string, string[]> Problems()
    {
        var problems = new Dictionary<string, string[]>();
        if (!BehaviourKinds.All.Contains(Kind))
        {
            problems["kind"] = [$"'{Kind}' is not a run behaviour; one of: {string.Join(", ", BehaviourKinds.All)}."];
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

        if (Milliseconds is { } ms)
        {
            if (Kind is not (BehaviourKinds.Slow or BehaviourKinds.Fail or BehaviourKinds.StaleAttempt))
            {
                problems["milliseconds"] = [NotFor()];
            }
            else if (ms < 0)
            {
                problems["milliseconds"] = ["Must be 0 or more."];
            }
        }

        if (Retryable is not null && Kind != BehaviourKinds.Fail)
        {
            problems["retryable"] = [NotFor()];
        }

        if (Message is not null && Kind != BehaviourKinds.Fail)
        {
            problems["message"] = [NotFor()];
        }

        if (Attempt is not null && Kind != BehaviourKinds.StaleAttempt)
        {
            problems["attempt"] = [NotFor()];
        }

        return problems;
    }

    /// <summary>The behaviour with its defaults filled in, as it is queued.</summary>
    public Behaviour ToBehaviour(long id) => new(
        id,
        Kind,
        Times ?? 1,
        Times == 0 ? null : Times ?? 1,
        JobId,
        Milliseconds ?? Kind switch
        {
            BehaviourKinds.Slow => DefaultSlowMilliseconds,
            BehaviourKinds.Fail => 0,
            _ => null,
        },
        Retryable ?? (Kind == BehaviourKinds.Fail ? false : null),
        Message ?? (Kind == BehaviourKinds.Fail ? DefaultFailMessage : null),
        Attempt);

    private string NotFor() => $"Does not apply to a '{Kind}' behaviour.";
}
