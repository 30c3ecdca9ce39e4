using System.Globalization;
using Microsoft.Extensions.Options;

namespace Provisioning.ActionsSimulator.GitHub;

/// <summary>The configured workflows (<c>Simulator:Workflows</c>), numbered from a fixed id as GitHub numbers them.</summary>
public sealed class WorkflowCatalog(IOptions<SimulatorOptions> options)
{
    private const long FirstWorkflowId = 161_335;

    private readonly Workflow[] _workflows =
        [.. options.Value.Workflows.Select((file, index) => new Workflow(FirstWorkflowId + index, file))];

    /// <summary>The workflow the path names, by file name or id; null when there is none (GitHub: 404).</summary>
    public Workflow? Find(string fileNameOrId) =>
        long.TryParse(fileNameOrId, NumberStyles.None, CultureInfo.InvariantCulture, out var id)
            ? _workflows.FirstOrDefault(w => w.Id == id)
            : _workflows.FirstOrDefault(w => string.Equals(w.FileName, fileNameOrId, StringComparison.Ordinal));
}
