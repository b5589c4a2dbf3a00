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
        foreach (DenseLayerPlan layer in plan.DenseLayers)
        {
            writer.WriteLine();
            writer.WriteLine($"/// <summary>dense{layer.Index}.weight [{layer.Units}, {layer.Inputs}] of {LayerDescriptions.Describe(layer)}.</summary>");
            writer.WriteLine($"public {Span} Dense{layer.Index}Weight => new {Span}(_compiledNetsParameters, {Int(layer.WeightOffset)}, {Int(layer.WeightLength)});");
            if (layer.HasBias)
            {
                writer.WriteLine();
                writer.WriteLine($"/// <summary>dense{layer.Index}.bias [{layer.Units}] of {LayerDescriptions.Describe(layer)}.</summary>");
                writer.WriteLine($"public {Span} Dense{layer.Index}Bias => new {Span}(_compiledNetsParameters, {Int(layer.BiasOffset)}, {Int(layer.Units)});");
            }
        }
    }

    private static void WriteInitialization(IndentedTextWriter writer, KernelPlan plan)
    {
        if (!plan.Type.HasUserConstructor)
        {
            writer.WriteLine("/// <summary>Creates the network with parameters initialised from <paramref name=\"seed\"/>.</summary>");
            writer.WriteLine($"public {plan.Type.Name}(int seed = 0) => Initialize(seed);");
            writer.WriteLine();
        }
        writer.WriteLine("/// <summary>Re-initialises every parameter from a seed: one random stream consumed layer by layer; biases zero.</summary>");
        writer.WriteLine("public void Initialize(int seed)");
        using (writer.WriteBlock())
        {
            writer.WriteLine("var random = new global::CompiledNets.SeededRandom(unchecked((ulong)seed));");
            writer.WriteLine($"{Span} parameters = _compiledNetsParameters;");
            foreach (DenseLayerPlan layer in plan.DenseLayers)
            {
                string weight = ParameterSlice("parameters", layer.WeightOffset, layer.WeightLength);
                writer.WriteLine(layer.Initialization == WeightInitialization.HeNormal
                    ? $"{Kernels}.ParameterInitializer.HeNormal({weight}, {Int(layer.Inputs)}, ref random);"
                    : $"{Kernels}.ParameterInitializer.GlorotUniform({weight}, {Int(layer.Inputs)}, {Int(layer.Units)}, ref random);");
                if (layer.HasBias) writer.WriteLine(ParameterSlice("parameters", layer.BiasOffset, layer.Units) + ".Clear();");
            }
        }
    }
}
