using System.Linq;
using CompiledNets.Generator.Planning;
using static CompiledNets.Generator.Emit.CSharpCode;

namespace CompiledNets.Generator.Emit;

internal static partial class CpuEmitter
{
    private static void WriteConstants(IndentedTextWriter writer, KernelPlan plan)
    {
        WriteConstant(writer, "int", "InputSize", Int(plan.InputSize), "Input features per sample.");
        WriteConstant(writer, "int", "OutputSize", Int(plan.OutputSize), "Outputs per sample.");
        WriteConstant(writer, "int", "ParameterCount", Int(plan.ParameterCount), "Floats in the parameter buffer.");
        WriteConstant(writer, "int", "TrainingWorkspacePerSample", Int(plan.TrainingWorkspacePerSample), "Floats of training workspace per sample.");
        WriteConstant(writer, "int", "InferenceWorkspacePerSample", Int(plan.InferenceWorkspacePerSample), "Floats of batched inference workspace per sample.");
        WriteConstant(writer, "global::CompiledNets.Activation", "OutputActivation", ActivationValue(plan.OutputActivation), "The output layer's activation.");
        WriteConstant(writer, "string", "NetworkName", String(plan.Type.FullName), "The network's name, stored in checkpoints.");
        WriteConstant(writer, "bool", "HasZeroGradientActivation", Bool(plan.HasZeroGradientActivation), "True when Step or Sign sits in the network.");
        WriteConstant(writer, "bool", "HasDropout", Bool(plan.HasDropout), "True when the network has dropout layers.");
        writer.WriteLine();
        writer.WriteLine("static int global::CompiledNets.INetwork.InputSize => InputSize;");
        writer.WriteLine("static int global::CompiledNets.INetwork.OutputSize => OutputSize;");
        writer.WriteLine("static int global::CompiledNets.INetwork.ParameterCount => ParameterCount;");
        writer.WriteLine("static int global::CompiledNets.INetwork.InferenceWorkspacePerSample => InferenceWorkspacePerSample;");
        writer.WriteLine("static global::CompiledNets.Activation global::CompiledNets.INetwork.OutputActivation => OutputActivation;");
        writer.WriteLine("static string global::CompiledNets.INetwork.NetworkName => NetworkName;");
        writer.WriteLine("static int global::CompiledNets.ITrainableNetwork.TrainingWorkspacePerSample => TrainingWorkspacePerSample;");
        writer.WriteLine("static bool global::CompiledNets.ITrainableNetwork.HasZeroGradientActivation => HasZeroGradientActivation;");
        writer.WriteLine("static bool global::CompiledNets.ITrainableNetwork.HasDropout => HasDropout;");
    }

    private static void WriteConstant(IndentedTextWriter writer, string type, string name, string value, string summary)
    {
        writer.WriteLine($"/// <summary>{summary}</summary>");
        writer.WriteLine($"public const {type} {name} = {value};");
    }

    private static void WriteParameters(IndentedTextWriter writer, KernelPlan plan)
    {
        writer.WriteLine("private static readonly global::CompiledNets.ParameterTensor[] s_compiledNetsParameterTensors =");
        using (writer.WriteBlock(";"))
        {
            foreach (ParameterTensorPlan tensor in plan.Parameters)
            {
                string shape = string.Join(", ", tensor.Shape.Select(Int));
                writer.WriteLine($"new global::CompiledNets.ParameterTensor({String(tensor.Name)}, {Int(tensor.Offset)}, new int[] {{ {shape} }}, isBias: {Bool(tensor.IsBias)}),");
            }
        }
        writer.WriteLine();
        writer.WriteLine("private readonly float[] _compiledNetsParameters = new float[ParameterCount];");
        writer.WriteLine();
        writer.WriteLine("// Single-sample Predict and Classify run here (inference workspace, then the outputs) so it allocates nothing.");
        writer.WriteLine("private readonly float[] _compiledNetsScratch = new float[InferenceWorkspacePerSample + OutputSize];");
        writer.WriteLine();
        writer.WriteLine("/// <summary>The named tensors inside <see cref=\"Parameters\"/>, in buffer order.</summary>");
        writer.WriteLine("public static global::System.Collections.Generic.IReadOnlyList<global::CompiledNets.ParameterTensor> ParameterTensors => s_compiledNetsParameterTensors;");
        writer.WriteLine();
        writer.WriteLine("/// <summary>All weights and biases in one contiguous buffer.</summary>");
        writer.WriteLine($"public {Span} Parameters => _compiledNetsParameters;");
        foreach (ParameterTensorPlan tensor in plan.Parameters)
        {
            writer.WriteLine();
            writer.WriteLine($"/// <summary>{tensor.Name} [{string.Join(", ", tensor.Shape)}]{Owner(plan, tensor)}.</summary>");
            writer.WriteLine($"public {Span} {ViewName(tensor.Name)} => new {Span}(_compiledNetsParameters, {Int(tensor.Offset)}, {Int(tensor.Length)});");
        }
    }

    /// <summary>"dense0.weight" -> Dense0Weight, "bn1.running_mean" -> Bn1RunningMean, "posbias0.bias" -> Posbias0Bias.</summary>
    private static string ViewName(string tensor)
    {
        var name = new System.Text.StringBuilder();
        bool upper = true;
        foreach (char c in tensor)
        {
            if (c is '.' or '_')
            {
                upper = true;
                continue;
            }
            name.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return name.ToString();
    }

    private static string Owner(KernelPlan plan, ParameterTensorPlan tensor)
    {
        DenseLayerPlan? dense = plan.DenseLayers.FirstOrDefault(d => d.WeightOffset == tensor.Offset || d.BiasOffset == tensor.Offset);
        return dense is null ? "" : " of " + LayerDescriptions.Describe(dense);
    }

    private static void WriteInitialization(IndentedTextWriter writer, KernelPlan plan)
    {
        if (!plan.Type.HasUserConstructor)
        {
            writer.WriteLine("/// <summary>Creates the network with parameters initialised from <paramref name=\"seed\"/>.</summary>");
            writer.WriteLine($"public {plan.Type.Name}(int seed = 0) => Initialize(seed);");
            writer.WriteLine();
        }
        writer.WriteLine("/// <summary>Re-initialises every parameter from a seed: one random stream consumed layer by layer; biases zero" +
            (plan.Spatial is null ? ".</summary>" : ";"));
        if (plan.Spatial is not null) writer.WriteLine("/// batch norm: gamma 1, beta 0, running mean 0, running variance 1.</summary>");
        if (plan.Spatial is null && (!plan.RecurrentLayers.IsEmpty || !plan.EmbeddingLayers.IsEmpty))
            writer.WriteLine("/// <remarks>Recurrent layers draw every weight and bias from U(-1/sqrt(hidden), 1/sqrt(hidden)), embeddings from N(0, 1), as PyTorch does.</remarks>");
        writer.WriteLine("public void Initialize(int seed)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("var random = new global::CompiledNets.SeededRandom(unchecked((ulong)seed));");
            writer.WriteLine($"{Span} parameters = _compiledNetsParameters;");
            foreach (object layer in ParameterLayers(plan)) WriteLayerInitialization(writer, layer);
        }
    }

    /// <summary>The layers with parameters in buffer order: the order the initialiser consumes random numbers in.</summary>
    private static System.Collections.Generic.IEnumerable<object> ParameterLayers(KernelPlan plan)
    {
        var seen = new System.Collections.Generic.HashSet<(Graph.OpKind, int)>();
        foreach (NodePlan node in plan.Nodes)
        {
            if (node.LayerIndex < 0 || !seen.Add((node.Op, node.LayerIndex))) continue;
            yield return node.Op switch
            {
                Graph.OpKind.Dense => plan.DenseLayers[node.LayerIndex],
                Graph.OpKind.Conv2D => plan.ConvLayers[node.LayerIndex],
                Graph.OpKind.BatchNorm => plan.BatchNormLayers[node.LayerIndex],
                Graph.OpKind.Embedding => plan.EmbeddingLayers[node.LayerIndex],
                Graph.OpKind.Lstm or Graph.OpKind.Gru or Graph.OpKind.SimpleRnn => plan.RecurrentLayers[node.LayerIndex],
                _ => plan.PositionBiasLayers[node.LayerIndex],
            };
        }
    }

    private static void WriteLayerInitialization(IndentedTextWriter writer, object layer)
    {
        switch (layer)
        {
            case DenseLayerPlan dense:
                WriteWeightInitialization(writer, dense.Initialization, ParameterSlice("parameters", dense.WeightOffset, dense.WeightLength), dense.Inputs, dense.Units);
                if (dense.HasBias) writer.WriteLine(ParameterSlice("parameters", dense.BiasOffset, dense.Units) + ".Clear();");
                break;
            case ConvLayerPlan conv:
            {
                ConvGeometry g = conv.Geometry;
                WriteWeightInitialization(writer, conv.Initialization, ParameterSlice("parameters", conv.WeightOffset, conv.WeightLength),
                    g.PatchSize, g.Kernel * g.Kernel * g.Filters);
                if (conv.HasBias) writer.WriteLine(ParameterSlice("parameters", conv.BiasOffset, g.Filters) + ".Clear();");
                break;
            }
            case BatchNormLayerPlan norm:
                writer.WriteLine(ParameterSlice("parameters", norm.GammaOffset, norm.Channels) + ".Fill(1f);");
                writer.WriteLine(ParameterSlice("parameters", norm.BetaOffset, 2 * norm.Channels) + ".Clear();");
                writer.WriteLine(ParameterSlice("parameters", norm.RunningVarianceOffset, norm.Channels) + ".Fill(1f);");
                break;
            case PositionBiasLayerPlan bias:
                writer.WriteLine(ParameterSlice("parameters", bias.BiasOffset, bias.Size) + ".Clear();");
                break;
            case EmbeddingLayerPlan embedding:
                // PyTorch's nn.Embedding: N(0, 1).
                writer.WriteLine($"{Kernels}.ParameterInitializer.StandardNormal({ParameterSlice("parameters", embedding.WeightOffset, embedding.WeightLength)}, ref random);");
                break;
            case RecurrentLayerPlan recurrent:
                // PyTorch's nn.LSTM/GRU/RNN: every weight and bias U(-1/sqrt(hidden), 1/sqrt(hidden)).
                writer.WriteLine($"{Kernels}.ParameterInitializer.Uniform({ParameterSlice("parameters", recurrent.WeightIhOffset, recurrent.ParameterLength)}, " +
                    $"1.0 / global::System.Math.Sqrt({Int(recurrent.Hidden)}), ref random);");
                break;
        }
    }

    private static void WriteWeightInitialization(IndentedTextWriter writer, WeightInitialization initialization, string weight, int fanIn, int fanOut) =>
        writer.WriteLine(initialization == WeightInitialization.HeNormal
            ? $"{Kernels}.ParameterInitializer.HeNormal({weight}, {Int(fanIn)}, ref random);"
            : $"{Kernels}.ParameterInitializer.GlorotUniform({weight}, {Int(fanIn)}, {Int(fanOut)}, ref random);");
}
