using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace LabelFree.Worker.Hosting;

/// <summary>Writes a health report as JSON (status, and each check's status, description and tags) so an operator sees why a probe fails.</summary>
public static class HealthReportJson
{
    public static Task WriteAsync(HttpContext context, HealthReport report)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(report);
        var body = new
        {
            status = report.Status.ToString(),
            checks = report.Entries.Select(entry => new
            {
                name = entry.Key,
                status = entry.Value.Status.ToString(),
                description = entry.Value.Description,
                tags = entry.Value.Tags,
            }),
        };
        // ASP.NET Core's own JSON options (web defaults) and content type: the probe answer is HTTP, not a record or contract.
        return context.Response.WriteAsJsonAsync(body, context.RequestAborted);
    }
}
