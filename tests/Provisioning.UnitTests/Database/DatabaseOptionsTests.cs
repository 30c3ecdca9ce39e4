using Npgsql;
using Provisioning.ServiceDefaults;

namespace Provisioning.UnitTests.Database;

/// <summary>The pool bound and statement preparation every process puts on its connection string, unless the string sets its own.</summary>
public sealed class DatabaseOptionsTests
{
    [Theory]
    [InlineData("Host=db;Database=p;Username=u", 16)]
    [InlineData("Host=db;Database=p;Username=u;Maximum Pool Size=50", 50)]
    [InlineData("Host=db;Database=p;Username=u;MaxPoolSize=4", 4)]
    [InlineData("Host=db;Database=p;Username=u;Minimum Pool Size=20", 20)]
    public void WithPoolDefaults_BoundsThePoolUnlessTheStringSetsIt(string configured, int expectedMaxPoolSize)
    {
        var result = new NpgsqlConnectionStringBuilder(DatabaseOptions.WithPoolDefaults(configured));

        Assert.Equal(expectedMaxPoolSize, result.MaxPoolSize);
        Assert.Equal(("db", "p", "u"), (result.Host, result.Database, result.Username));
    }

    [Theory]
    [InlineData("Host=db;Database=p;Username=u", 32)]
    [InlineData("Host=db;Database=p;Username=u;Max Auto Prepare=0", 0)]
    [InlineData("Host=db;Database=p;Username=u;MaxAutoPrepare=5", 5)]
    public void WithPoolDefaults_PreparesStatementsUnlessTheStringSaysOtherwise(string configured, int expectedMaxAutoPrepare)
    {
        var result = new NpgsqlConnectionStringBuilder(DatabaseOptions.WithPoolDefaults(configured));

        Assert.Equal(expectedMaxAutoPrepare, result.MaxAutoPrepare);
    }

    [Theory]
    [InlineData("Host=db;Database=p;Username=u", true)]
    [InlineData("Host=db;Database=p;Username=u;No Reset On Close=false", false)]
    public void WithPoolDefaults_SkipsTheResetOfPooledConnectionsUnlessTheStringSaysOtherwise(string configured, bool expectedNoReset)
    {
        var result = new NpgsqlConnectionStringBuilder(DatabaseOptions.WithPoolDefaults(configured));

        Assert.Equal(expectedNoReset, result.NoResetOnClose);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    [InlineData("Host=db;Port=notaport")]
    public void WithPoolDefaults_MissingOrMalformed_IsLeftForTheValidationToReport(string configured)
    {
        Assert.Equal(configured, DatabaseOptions.WithPoolDefaults(configured));
    }
}
