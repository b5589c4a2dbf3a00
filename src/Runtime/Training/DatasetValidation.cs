using System.Numerics;
using CompiledNets.Data;

namespace CompiledNets.Training;

/// <summary>
/// Checks a dataset against a network and a loss before any step runs, so a mistake is one clear exception that
/// names the sample, not a NaN loss three epochs later. (The arrays behind a <see cref="Dataset"/> are mutable, so
/// labels are checked again here even though its constructor checked them.)
/// </summary>
internal static class DatasetValidation
{
    public static void Validate<TNetwork>(Dataset? data, Loss loss, string role, string parameterName)
        where TNetwork : INetwork
    {
        if (data is null) throw new ArgumentNullException(parameterName, $"The {role} set is null.");
        string network = TNetwork.NetworkName;
        if (data.Count == 0)
            throw new ArgumentException($"The {role} set has no samples.", parameterName);
        if (data.FeatureCount != TNetwork.InputSize)
            throw new ArgumentException($"The {role} set has {data.FeatureCount} features per sample but {network} takes {TNetwork.InputSize} inputs.", parameterName);

        int width = TNetwork.OutputSize;
        if (loss.TargetKind == LossTargetKind.ClassLabels)
        {
            if (data.Labels is null)
                throw new ArgumentException($"{loss.Name} needs class labels, but the {role} set holds float targets. Use a loss for float targets (Loss.MeanSquaredError, Loss.BinaryCrossEntropy) or a labelled dataset.", parameterName);
            if (data.ClassCount > width)
                throw new ArgumentException($"The {role} set has {data.ClassCount} classes but {network} has only {width} outputs.", parameterName);
            int[] labels = data.Labels;
            for (int i = 0; i < data.Count; i++)
            {
                if ((uint)labels[i] >= (uint)width)
                    throw new ArgumentException($"Label {labels[i]} of sample {i} of the {role} set is outside [0, {width}): {network} has {width} outputs.", parameterName);
            }
        }
        else
        {
            if (data.Targets is null)
                throw new ArgumentException($"{loss.Name} needs float targets, but the {role} set holds class labels. Use Loss.SoftmaxCrossEntropy, or a dataset of float targets.", parameterName);
            if (data.TargetCount != width)
                throw new ArgumentException($"The {role} set has {data.TargetCount} targets per sample but {network} has {width} outputs.", parameterName);
            float[] targets = data.Targets;
            bool probabilities = loss.TargetsAreProbabilities;
            for (int i = 0; i < targets.Length; i++)
            {
                float t = targets[i];
                if (!float.IsFinite(t))
                    throw new ArgumentException($"Target {t} (output {i % width}) of sample {i / width} of the {role} set is not a finite number.", parameterName);
                if (probabilities && !(t >= 0f && t <= 1f))
                    throw new ArgumentException($"Target {t} (output {i % width}) of sample {i / width} of the {role} set is outside [0, 1]; binary cross-entropy needs probabilities.", parameterName);
            }
        }

        int bad = IndexOfNonFinite(data.Features);
        if (bad >= 0)
            throw new ArgumentException($"Feature {bad % data.FeatureCount} of sample {bad / data.FeatureCount} of the {role} set is {data.Features[bad]}; features must be finite numbers.", parameterName);
    }

    /// <summary>Index of the first NaN or infinity, or -1. x - x is 0 exactly for finite x and NaN otherwise.</summary>
    internal static int IndexOfNonFinite(ReadOnlySpan<float> values)
    {
        int i = 0;
        if (Vector.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector<float>.Count; i += Vector<float>.Count)
            {
                var v = new Vector<float>(values[i..]);
                if (!Vector.EqualsAll(v - v, Vector<float>.Zero)) break;
            }
        }
        for (; i < values.Length; i++)
        {
            if (!float.IsFinite(values[i])) return i;
        }
        return -1;
    }
}
