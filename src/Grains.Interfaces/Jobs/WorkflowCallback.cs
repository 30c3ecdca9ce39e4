namespace Provisioning.Jobs;

/// <summary>
/// A verified callback from a workflow run. <see cref="CallbackId"/> is the Standard Webhooks <c>webhook-id</c>: a replay
/// with the same id has no second effect. <see cref="OutputJson"/> (on complete) is the run's output object as JSON.
/// </summary>
[GenerateSerializer, Immutable, Alias("Provisioning.Jobs.WorkflowCallback")]
public sealed record WorkflowCallback(
    [property: Id(0)] string CallbackId,
    [property: Id(1)] CallbackEvent Event,
    [property: Id(2)] int Attempt,
    [property: Id(3)] string? RunId,
    [property: Id(4)] int? RunAttempt,
    [property: Id(5)] string? RunUrl,
    [property: Id(6)] string? Message,
    [property: Id(7)] bool Retryable,
    [property: Id(8)] string? OutputJson);
