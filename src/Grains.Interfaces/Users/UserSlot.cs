namespace Provisioning.Users;

/// <summary>A user's in-progress job (at most one) and the jobs waiting for it, first in first out.</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.Users.UserSlot")]
public sealed record UserSlot(
    [property: Id(0)] string UserId,
    [property: Id(1)] string? CurrentJobId,
    [property: Id(2)] IReadOnlyList<string> WaitingJobIds);
