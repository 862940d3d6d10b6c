namespace LabelFree.Pipeline.Models;

/// <summary>Why a PyTorch weights file could not be imported. Stable names: callers map them to messages and exit codes.</summary>
public enum PyTorchImportProblem
{
    /// <summary>The file does not exist.</summary>
    FileNotFound,

    /// <summary>Not a torch.save archive at all, or its pickle cannot be parsed.</summary>
    Unreadable,

    /// <summary>The pickle references Python code (a global outside the tensor/dict allow-list); nothing was executed.</summary>
    UnsafeContent,

    /// <summary>The file holds neither a state dict of tensors nor a pytorch_fnet checkpoint with one under nn_state.</summary>
    NotAStateDict,

    /// <summary>The tensors do not fit the fnet network: missing or extra keys, wrong shapes, wrong dimensionality.</summary>
    ArchitectureMismatch,
}
