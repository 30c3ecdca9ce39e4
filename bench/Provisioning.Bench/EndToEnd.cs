namespace Provisioning.Bench;

/// <summary>
/// How fast a phase's checkouts reached their workflow dispatch: from the phase's first send to the last of their first
/// dispatch requests at the GitHub Actions simulator, so that a backlog the phase leaves behind counts against it.
/// </summary>
public sealed record EndToEnd(int Checkouts, int NotDispatched, TimeSpan Span)
{
    /// <summary>Checkouts per second; NaN when one was not dispatched within the wait, as the span is then unknown.</summary>
    public double PerSecond => NotDispatched == 0 && Checkouts > 0 ? Checkouts / Span.TotalSeconds : double.NaN;

    public static EndToEnd Of(PhaseResult phase, IReadOnlyList<DispatchRequest> dispatches)
    {
        var first = SimulatorLog.FirstDispatches(dispatches);
        var reached = phase.Checkouts.Keys.Where(first.ContainsKey).Select(id => first[id]).ToList();
        var last = reached.Count == 0 ? phase.StartedAt : reached.Max();
        return new EndToEnd(phase.Checkouts.Count, phase.Checkouts.Count - reached.Count, last - phase.StartedAt);
    }

    /// <summary>For each of the phase's checkouts, milliseconds from its first send (its planned time at a constant rate) to its first dispatch.</summary>
    public static Percentiles PaidToDispatched(PhaseResult phase, IReadOnlyList<DispatchRequest> dispatches)
    {
        var first = SimulatorLog.FirstDispatches(dispatches);
        return Percentiles.Of(phase.Checkouts
            .Where(c => first.ContainsKey(c.Key))
            .Select(c => (first[c.Key] - c.Value).TotalMilliseconds));
    }
}
