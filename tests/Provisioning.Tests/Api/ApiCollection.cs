using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Api;

/// <summary>The API tests share one running system (database, silo and gateway processes).</summary>
[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<TestSystem>
{
    public const string Name = "api";
}
