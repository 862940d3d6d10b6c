using System.Text;
using LabelFree.Messages;

namespace LabelFree.Worker.Storage;

/// <summary>
/// Decides which blob locations the worker may read or write: only the configured storage areas, and
/// only names that cannot escape them. Locations arrive in messages from other systems, and the local
/// store maps names onto files, so a name like "../../etc/passwd" must never get through.
/// </summary>
public sealed class BlobLocationPolicy
{
    /// <summary>Azure's limit on a blob name.</summary>
    public const int MaxNameLength = 1024;

    /// <summary>Azure's limit on '/'-separated segments in a blob name.</summary>
    public const int MaxSegments = 254;

    /// <summary>The usual file-system limit on one path component (NAME_MAX), in UTF-8 bytes.</summary>
    public const int MaxSegmentBytes = 255;

    public BlobLocationPolicy(IEnumerable<StorageArea> areas)
    {
        Areas = areas.Distinct().ToArray();
        if (Areas.Count == 0)
        {
            throw new ArgumentException("At least one storage area must be allowed.", nameof(areas));
        }
    }

    /// <summary>
    /// A policy whose stack inputs come only from <paramref name="inputs"/>, never from the worker's own
    /// <paramref name="workerAreas"/> (predictions/, models/), even where the containers coincide.
    /// </summary>
    public BlobLocationPolicy(StorageArea inputs, IEnumerable<StorageArea> workerAreas)
        : this([inputs, .. workerAreas])
    {
        Inputs = inputs;
        WorkerAreas = [.. workerAreas.Distinct()];
    }

    /// <summary>The areas locations may lie in.</summary>
    public IReadOnlyList<StorageArea> Areas { get; }

    /// <summary>Where stack inputs and reference images may lie; null admits any allowed area outside <see cref="WorkerAreas"/>.</summary>
    public StorageArea? Inputs { get; }

    /// <summary>The areas the worker writes or loads models from: never a stack's input.</summary>
    public IReadOnlyList<StorageArea> WorkerAreas { get; } = [];

    /// <summary>
    /// Throws <see cref="LocationNotAllowedException"/> unless the location may be a stack's input: a well-formed
    /// name in the input area and not in the worker's own outputs or models (a message must not feed the worker a
    /// prediction, a manifest or model weights, contrary to docs/messages.md).
    /// </summary>
    public void CheckInput(BlobLocation location)
    {
        Check(location);
        if (Inputs is { } inputs && !inputs.Contains(location.Container, location.Name))
        {
            throw new LocationNotAllowedException(location, $"stack inputs must lie in {inputs}");
        }

        if (WorkerAreas.FirstOrDefault(area => area.Contains(location.Container, location.Name)) is { } own)
        {
            throw new LocationNotAllowedException(location, $"{own} holds the worker's own files, not stack inputs");
        }
    }

    /// <summary>Throws <see cref="LocationNotAllowedException"/> unless the location is a well-formed name inside an allowed area.</summary>
    public void Check(BlobLocation location)
    {
        ArgumentNullException.ThrowIfNull(location);
        var reason = Problem(location.Container, location.Name, isPrefix: false);
        if (reason is not null)
        {
            throw new LocationNotAllowedException(location, reason);
        }
    }

    /// <summary>True when <see cref="Check"/> would accept the location; <paramref name="reason"/> says why not otherwise.</summary>
    public bool IsAllowed(BlobLocation location, out string? reason)
    {
        ArgumentNullException.ThrowIfNull(location);
        reason = Problem(location.Container, location.Name, isPrefix: false);
        return reason is null;
    }

    /// <summary>
    /// Throws <see cref="LocationNotAllowedException"/> unless listing <paramref name="prefix"/> in
    /// <paramref name="container"/> stays inside one allowed area (so a listing cannot reveal other blobs).
    /// </summary>
    public void CheckPrefix(string container, string prefix)
    {
        var reason = Problem(container, prefix, isPrefix: true);
        if (reason is not null)
        {
            throw new LocationNotAllowedException(container, prefix, reason);
        }
    }

    private string? Problem(string? container, string? name, bool isPrefix)
    {
        if (string.IsNullOrEmpty(container))
        {
            return "the container is empty";
        }

        if (!Areas.Any(a => string.Equals(a.Container, container, StringComparison.Ordinal)))
        {
            return $"container '{container}' is not one of the configured containers ({string.Join(", ", Areas.Select(a => a.Container).Distinct())})";
        }

        if (name is null || (name.Length == 0 && !isPrefix))
        {
            return "the name is empty";
        }

        var shapeProblem = NameShapeProblem(name, isPrefix);
        if (shapeProblem is not null)
        {
            return shapeProblem;
        }

        var areas = Areas.Where(a => string.Equals(a.Container, container, StringComparison.Ordinal)).ToArray();
        if (!areas.Any(a => a.Contains(container, name)))
        {
            return $"the name is outside the allowed prefixes of container '{container}' ({string.Join(", ", areas.Select(a => a.Prefix.Length == 0 ? "(any)" : a.Prefix))})";
        }

        return null;
    }

    private static string? NameShapeProblem(string name, bool isPrefix)
    {
        if (name.Length > MaxNameLength)
        {
            return $"the name is longer than {MaxNameLength} characters";
        }

        if (name.StartsWith('/'))
        {
            return "the name starts with '/' (absolute paths are not allowed)";
        }

        if (name.Contains('\\', StringComparison.Ordinal))
        {
            return "the name contains a backslash";
        }

        if (name.Any(char.IsControl))
        {
            return "the name contains a control character";
        }

        if (name.Length == 0)
        {
            return null;
        }

        // A prefix may end with '/' (a folder); a blob name may not.
        var segments = name.Split('/');
        if (isPrefix && name.EndsWith('/'))
        {
            segments = segments[..^1];
        }

        if (segments.Length > MaxSegments)
        {
            return $"the name has more than {MaxSegments} segments";
        }

        foreach (var segment in segments)
        {
            if (segment.Length == 0)
            {
                return "the name contains an empty segment ('//' or a trailing '/')";
            }

            if (segment is "." or "..")
            {
                return "the name contains a '.' or '..' segment";
            }

            if (Encoding.UTF8.GetByteCount(segment) > MaxSegmentBytes)
            {
                return $"a segment of the name is longer than {MaxSegmentBytes} bytes";
            }
        }

        return null;
    }
}
