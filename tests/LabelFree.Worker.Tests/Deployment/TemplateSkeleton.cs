using System.Text;
using System.Text.RegularExpressions;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// A Helm template with its template actions taken out, leaving the YAML that every rendering shares:
/// a line holding only actions ({{- if }}, {{- toYaml . | nindent 8 }}, {{- end }}) is dropped, and an
/// action inside a line (name: {{ include "x" . }}) becomes the placeholder value "X". Both branches of
/// a conditional stay, so this only works for templates written not to repeat a key across branches;
/// the chart's templates are. It catches what most often breaks a chart nobody can render here:
/// indentation and structure.
/// </summary>
public static partial class TemplateSkeleton
{
    public const string Placeholder = "X";

    public static string Of(string template)
    {
        var withoutComments = Comment().Replace(template, "");
        var skeleton = new StringBuilder();
        foreach (var line in withoutComments.Split('\n'))
        {
            if (line.Contains("{{", StringComparison.Ordinal) && !Action().IsMatch(line))
            {
                throw new FormatException($"a template action spans lines, which the skeleton cannot follow: {line.Trim()}");
            }

            var stripped = Action().Replace(line, "");
            if (stripped.Length != line.Length && stripped.Trim().Length == 0)
            {
                continue;
            }

            skeleton.Append(Action().Replace(line, Placeholder)).Append('\n');
        }

        return skeleton.ToString();
    }

    [GeneratedRegex(@"\{\{-?\s*/\*.*?\*/\s*-?\}\}", RegexOptions.Singleline)]
    private static partial Regex Comment();

    [GeneratedRegex(@"\{\{.*?\}\}")]
    private static partial Regex Action();
}
