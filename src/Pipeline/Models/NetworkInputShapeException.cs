namespace LabelFree.Pipeline.Models;

/// <summary>A tensor or volume whose shape the network cannot take (wrong rank, channels, or a size not a multiple of 2^depth).</summary>
public sealed class NetworkInputShapeException : ArgumentException
{
    public NetworkInputShapeException(string message)
        : base(message)
    {
    }
}
