using System.Text;
using System.Text.RegularExpressions;

namespace LabelFree.Worker.Tests.Deployment;

/// <summary>
/// The patterns of a .dockerignore file, matched like Docker does: relative to the build context,
/// '*' within one path segment, '**' across segments, '!' re-includes, the last matching pattern
/// wins, and a path is excluded when it or any folder above it is.
/// </summary>
public sealed class DockerIgnore
{
    private readonly List<(Regex Pattern, bool Excludes)> _rules;

    private DockerIgnore(List<(Regex, bool)> rules) => _rules = rules;

    public static DockerIgnore Load(string path)
    {
        var rules = new List<(Regex, bool)>();
        foreach (var raw in File.ReadAllLines(path))
        {
            var line = raw.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            var excludes = !line.StartsWith('!');
            var pattern = line.TrimStart('!').Trim('/');
            rules.Add((new Regex("^" + ToRegex(pattern) + "$", RegexOptions.CultureInvariant), excludes));
        }

        return new DockerIgnore(rules);
    }

    /// <summary>True when `docker build` leaves <paramref name="relativePath"/> (forward slashes) out of the context.</summary>
    public bool Excludes(string relativePath)
    {
        var segments = relativePath.Trim('/').Split('/');
        for (var length = 1; length <= segments.Length; length++)
        {
            if (Matches(string.Join('/', segments.Take(length))))
            {
                return true;
            }
        }

        return false;
    }

    private bool Matches(string path)
    {
        var excluded = false;
        foreach (var (pattern, excludes) in _rules)
        {
            if (pattern.IsMatch(path))
            {
                excluded = excludes;
            }
        }

        return excluded;
    }

    private static string ToRegex(string pattern)
    {
        var regex = new StringBuilder();
        for (var i = 0; i < pattern.Length; i++)
        {
            if (pattern[i] == '*' && i + 1 < pattern.Length && pattern[i + 1] == '*')
            {
                // "**/" matches any number of folders, including none.
                var slash = i + 2 < pattern.Length && pattern[i + 2] == '/';
                regex.Append(slash ? "(.*/)?" : ".*");
                i += slash ? 2 : 1;
            }
            else
            {
                regex.Append(pattern[i] switch
                {
                    '*' => "[^/]*",
                    '?' => "[^/]",
                    _ => Regex.Escape(pattern[i].ToString()),
                });
            }
        }

        return regex.ToString();
    }
}
