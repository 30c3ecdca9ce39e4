using System.Diagnostics;
using OpenTelemetry.Trace;

namespace Provisioning.ServiceDefaults.Telemetry;

/// <summary>
/// The decision for spans that start a trace: a client call made outside any traced operation (Orleans polling its
/// membership and reminder tables, every few seconds on every silo) is not recorded; everything else is. Spans inside a
/// trace follow their parent's decision (<see cref="ParentBasedSampler"/>).
/// </summary>
internal sealed class BackgroundClientCallSampler : Sampler
{
    private static readonly SamplingResult Drop = new(SamplingDecision.Drop);
    private static readonly SamplingResult Sample = new(SamplingDecision.RecordAndSample);

    public override SamplingResult ShouldSample(in SamplingParameters samplingParameters) =>
        samplingParameters.Kind == ActivityKind.Client ? Drop : Sample;
}
