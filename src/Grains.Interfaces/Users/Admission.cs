namespace Provisioning.Users;

/// <summary>The answer of a user's slot to a job: admitted now, or waiting at a position (1 = next).</summary>
[GenerateSerializer, Immutable, Alias("Provisioning.Users.Admission")]
public sealed record Admission(
    [property: Id(0)] bool Admitted,
    [property: Id(1)] int Position);
