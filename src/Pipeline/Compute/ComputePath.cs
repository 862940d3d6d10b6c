namespace LabelFree.Pipeline.Compute;

/// <summary>A kind of arithmetic the product runs, each verified on its own by the self-test.</summary>
public enum ComputePath
{
    /// <summary>Prediction in float32 (eval mode, no gradients): predict, evaluate, the worker.</summary>
    Float32Inference,

    /// <summary>One float32 training step: forward, MSE loss, backward, Adam step.</summary>
    Float32Training,

    /// <summary>Prediction in bfloat16 (predict --precision bfloat16, the worker's Precision setting).</summary>
    BFloat16Inference,
}
