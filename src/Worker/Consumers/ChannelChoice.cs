using LabelFree.Messages;
using LabelFree.Pipeline.Imaging;

namespace LabelFree.Worker.Consumers;

/// <summary>Resolves a message's channel selector against the channels an input actually has.</summary>
public static class ChannelChoice
{
    /// <exception cref="StackRejectedException">ChannelOutOfRange: no such index or name in the input.</exception>
    public static int Resolve(ChannelSelector selector, Hyperstack image, string inputName, string role)
    {
        ArgumentNullException.ThrowIfNull(selector);
        ArgumentNullException.ThrowIfNull(image);
        if (selector.Index is { } index)
        {
            return index >= 0 && index < image.Channels
                ? index
                : throw new StackRejectedException(RejectionReason.ChannelOutOfRange,
                    $"The {role} channel index {index} is out of range: '{inputName}' has {image.Channels} channel(s) (0-{image.Channels - 1}).");
        }

        var found = image.IndexOfChannel(selector.Name!);
        return found >= 0
            ? found
            : throw new StackRejectedException(RejectionReason.ChannelOutOfRange,
                $"The {role} channel '{selector.Name}' is not in '{inputName}' (channels: {string.Join(", ", image.ChannelNames)}).");
    }
}
