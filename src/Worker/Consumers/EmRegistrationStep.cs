using LabelFree.Pipeline.Imaging;
using LabelFree.Pipeline.Registration;

namespace LabelFree.Worker.Consumers;

/// <summary>One registration of a predicted IF image: the result and, when a transform was found, the overlay to check it by eye.</summary>
public sealed record EmRegistrationStep(RegistrationResult Result, Hyperstack? Overlay);
