using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Provisioning.ActionsSimulator.Callbacks;
using Provisioning.ActionsSimulator.Faults;
using Provisioning.ActionsSimulator.Requests;

namespace Provisioning.ActionsSimulator.Control;

/// <summary>
/// The simulator's own API under <c>/_simulator</c>: readiness, the request log, the fault queue, the callback log and the run
/// behaviours. Everything but readiness needs <c>Simulator:Token</c> (<see cref="ControlTokenFilter"/>).
/// </summary>
public static class ControlApi
{
    public const string Prefix = "/_simulator";

    public static IEndpointRouteBuilder MapControlApi(this IEndpointRouteBuilder app)
    {
        app.MapGroup(Prefix).WithTags("Simulator").MapGet("/health", GetHealth);
        var control = app.MapGroup(Prefix).WithTags("Simulator").AddEndpointFilter<ControlTokenFilter>();
        control.MapGet("/requests", GetRequests);
        control.MapDelete("/requests", ClearRequests);
        control.MapGet("/faults", GetFaults);
        control.MapPost("/faults", AddFaultAsync);
        control.MapDelete("/faults", ClearFaults);
        control.MapDelete("/faults/{id:long}", RemoveFault);
        control.MapGet("/callbacks", GetCallbacks);
        control.MapDelete("/callbacks", ClearCallbacks);
        control.MapGet("/behaviours", GetBehaviours);
        control.MapPost("/behaviours", AddBehaviourAsync);
        control.MapDelete("/behaviours", ClearBehaviours);
        control.MapDelete("/behaviours/{id:long}", RemoveBehaviour);
        return app;
    }

    private static Ok<Health> GetHealth() => TypedResults.Ok(new Health("up"));

    private static Ok<IReadOnlyList<RequestRecord>> GetRequests(RequestLog log, string? jobId) => TypedResults.Ok(log.Snapshot(jobId));

    private static NoContent ClearRequests(RequestLog log)
    {
        log.Clear();
        return TypedResults.NoContent();
    }

    private static Ok<IReadOnlyList<Fault>> GetFaults(FaultQueue faults) => TypedResults.Ok(faults.Pending());

    /// <summary>Reads the body itself, so that a request without a JSON content type (curl -d) works and a bad field is named.</summary>
    private static async Task<Results<Created<Fault>, ValidationProblem>> AddFaultAsync(
        HttpRequest request, FaultQueue faults, ILogger<FaultQueue> logger, CancellationToken cancellationToken)
    {
        FaultSpec? spec;
        try
        {
            spec = await JsonSerializer.DeserializeAsync<FaultSpec>(request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (JsonException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [ex.Message] }, title: "Invalid fault");
        }

        if (spec is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["A fault object is required."] }, title: "Invalid fault");
        }

        var problems = spec.Problems();
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems, title: "Invalid fault");
        }

        var fault = faults.Add(spec);
        SimulatorLog.FaultQueued(logger, fault.Id, fault.Kind, fault.Times, fault.JobId ?? "any");
        return TypedResults.Created($"{Prefix}/faults/{fault.Id}", fault);
    }

    private static NoContent ClearFaults(FaultQueue faults)
    {
        faults.Clear();
        return TypedResults.NoContent();
    }

    private static Results<NoContent, NotFound> RemoveFault(long id, FaultQueue faults) =>
        faults.Remove(id) ? TypedResults.NoContent() : TypedResults.NotFound();

    private static Ok<IReadOnlyList<CallbackRecord>> GetCallbacks(CallbackLog log, string? jobId) => TypedResults.Ok(log.Snapshot(jobId));

    private static NoContent ClearCallbacks(CallbackLog log)
    {
        log.Clear();
        return TypedResults.NoContent();
    }

    private static Ok<IReadOnlyList<Behaviour>> GetBehaviours(BehaviourQueue behaviours) => TypedResults.Ok(behaviours.Pending());

    /// <summary>Reads the body itself, like <see cref="AddFaultAsync"/>.</summary>
    private static async Task<Results<Created<Behaviour>, ValidationProblem>> AddBehaviourAsync(
        HttpRequest request, BehaviourQueue behaviours, ILogger<BehaviourQueue> logger, CancellationToken cancellationToken)
    {
        BehaviourSpec? spec;
        try
        {
            spec = await JsonSerializer.DeserializeAsync<BehaviourSpec>(request.Body, JsonSerializerOptions.Web, cancellationToken);
        }
        catch (JsonException ex)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = [ex.Message] }, title: "Invalid run behaviour");
        }

        if (spec is null)
        {
            return TypedResults.ValidationProblem(new Dictionary<string, string[]> { ["body"] = ["A behaviour object is required."] }, title: "Invalid run behaviour");
        }

        var problems = spec.Problems();
        if (problems.Count > 0)
        {
            return TypedResults.ValidationProblem(problems, title: "Invalid run behaviour");
        }

        var behaviour = behaviours.Add(spec);
        SimulatorLog.BehaviourQueued(logger, behaviour.Id, behaviour.Kind, behaviour.Times, behaviour.JobId ?? "any");
        return TypedResults.Created($"{Prefix}/behaviours/{behaviour.Id}", behaviour);
    }

    private static NoContent ClearBehaviours(BehaviourQueue behaviours)
    {
        behaviours.Clear();
        return TypedResults.NoContent();
    }

    private static Results<NoContent, NotFound> RemoveBehaviour(long id, BehaviourQueue behaviours) =>
        behaviours.Remove(id) ? TypedResults.NoContent() : TypedResults.NotFound();

    public sealed record Health(string Status);
}
