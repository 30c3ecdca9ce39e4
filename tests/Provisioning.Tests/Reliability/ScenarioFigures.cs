using System.Text.Json;
using Provisioning.Tests.Infrastructure;

namespace Provisioning.Tests.Reliability;

/// <summary>The figures of one scenario run, written as one JSON line to <c>.local/reliability/&lt;scenario&gt;.json</c>.</summary>
public sealed record ScenarioFigures(
    string Scenario,
    string Profile,
    int EventsSent,
    int WebhookRequests,
    int Acknowledged,
    IReadOnlyDictionary<string, int> WebhookAnswers,
    int JobsCreated,
    int Lost,
    int Duplicates,
    int Unprocessed,
    int Succeeded,
    int Failed,
    int DispatchRequests,
    int RunsCreated,
    int ExtraRuns,
    int CallbacksSent,
    double SecondsToRecover,
    double? SecondsToProcess,
    double DurationSeconds,
    int Violations,
    IReadOnlyDictionary<string, object> Extra,
    string Machine,
    DateTimeOffset FinishedAt)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Folder => Path.Combine(Repository.Root, ".local", "reliability");

    public string ToJson() => JsonSerializer.Serialize(this, Json);

    public async Task WriteAsync()
    {
        Directory.CreateDirectory(Folder);
        await File.WriteAllTextAsync(Path.Combine(Folder, $"{Scenario}.json"), ToJson() + "\n");
    }

    public static string DescribeMachine() =>
        $"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.OSDescription.Trim()}";
}
