namespace Provisioning.Jobs;

/// <summary>What a paid checkout asks for. The job id is the Stripe event id of the checkout.</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.Jobs.NewJob")]
public sealed record NewJob(
    [property: Id(0)] string JobId,
    [property: Id(1)] string UserId,
    [property: Id(2)] string AgentId,
    [property: Id(3)] string Region,
    [property: Id(4)] string? CheckoutSessionId,
    [property: Id(5)] DateTimeOffset PaidAt);
