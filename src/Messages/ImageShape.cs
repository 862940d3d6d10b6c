namespace LabelFree.Messages;

/// <summary>Dimensions of an image in time points, channels, z-planes, rows and columns.</summary>
public sealed record ImageShape
{
    /// <summary>Number of time points.</summary>
    public required int T { get; init; }

    /// <summary>Number of channels.</summary>
    public required int C { get; init; }

    /// <summary>Number of z-planes (1 for 2D images).</summary>
    public required int Z { get; init; }

    /// <summary>Number of rows (height in pixels).</summary>
    public required int Y { get; init; }

    /// <summary>Number of columns (width in pixels).</summary>
    public required int X { get; init; }
}
