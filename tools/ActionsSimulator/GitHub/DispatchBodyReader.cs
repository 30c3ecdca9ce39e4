using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;

namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>
/// Checks a dispatch body as GitHub does, in GitHub's words: first the endpoint's schema (400 for JSON that does not parse,
/// 422 "Invalid request." listing unknown keys, wrong types and a missing <c>ref</c>), then the workflow's inputs
/// (422 for an input it does not declare, then for the first required input that is missing or empty).
/// </summary>
public static class DispatchBodyReader
{
    private static readonly string[] PermittedKeys = ["ref", "inputs", "return_run_details"];

    public static (DispatchBody? Body, JsonHttpResult<GitHubError>? Error) Read(ReadOnlyMemory<byte> raw)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(raw.IsEmpty ? "{}"u8.ToArray() : raw);
        }
        catch (JsonException)
        {
            return (null, GitHubErrors.ProblemsParsingJson());
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
            {
                return (null, GitHubErrors.ProblemsParsingJson());
            }

            var problems = SchemaProblems(root);
            if (problems.Count > 0)
            {
                return (null, GitHubErrors.InvalidRequest(problems));
            }

            var gitRef = root.GetProperty("ref").GetString()!;
            if (gitRef.Length == 0)
            {
                return (null, GitHubErrors.Unprocessable("No ref found for: "));
            }

            var inputs = root.TryGetProperty("inputs", out var given)
                ? given.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!, StringComparer.Ordinal)
                : [];
            if (InputProblem(inputs) is { } inputProblem)
            {
                return (null, GitHubErrors.Unprocessable(inputProblem));
            }

            var returnRunDetails = root.TryGetProperty("return_run_details", out var details) && details.GetBoolean();
            return (new DispatchBody(gitRef, inputs, returnRunDetails), null);
        }
    }

    private static List<string> SchemaProblems(JsonElement root)
    {
        var problems = new List<string>();
        var unknown = root.EnumerateObject().Select(p => p.Name).Where(name => !PermittedKeys.Contains(name)).ToList();
        if (unknown.Count > 0)
        {
            var names = string.Join(", ", unknown.Select(name => $"\"{name}\""));
            problems.Add(unknown.Count == 1 ? $"{names} is not a permitted key." : $"{names} are not permitted keys.");
        }

        if (!root.TryGetProperty("ref", out var gitRef))
        {
            problems.Add("\"ref\" wasn't supplied.");
        }
        else if (gitRef.ValueKind != JsonValueKind.String)
        {
            problems.Add(WrongType("ref", gitRef, "a string"));
        }

        if (root.TryGetProperty("inputs", out var inputs))
        {
            if (inputs.ValueKind != JsonValueKind.Object)
            {
                problems.Add(WrongType("inputs", inputs, "an object"));
            }
            else
            {
                problems.AddRange(inputs.EnumerateObject()
                    .Where(input => input.Value.ValueKind != JsonValueKind.String)
                    .Select(input => WrongType($"inputs/{input.Name}", input.Value, "a string")));
            }
        }

        if (root.TryGetProperty("return_run_details", out var details) && details.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            problems.Add(WrongType("return_run_details", details, "a boolean"));
        }

        return problems;
    }

    private static string? InputProblem(Dictionary<string, string> inputs)
    {
        var unexpected = inputs.Keys.Where(name => !Workflow.Inputs.Contains(name)).ToList();
        if (unexpected.Count > 0)
        {
            return $"Unexpected inputs provided: [{string.Join(", ", unexpected.Select(name => $"\"{name}\""))}]";
        }

        var missing = Workflow.Inputs.FirstOrDefault(name => string.IsNullOrEmpty(inputs.GetValueOrDefault(name)));
        return missing is null ? null : $"Required input '{missing}' not provided";
    }

    private static string WrongType(string property, JsonElement value, string expected) =>
        $"For 'properties/{property}', {value.GetRawText()} is not {expected}.";
}
