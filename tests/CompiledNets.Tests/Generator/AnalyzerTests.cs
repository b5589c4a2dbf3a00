using Microsoft.CodeAnalysis;
using Xunit;

namespace CompiledNets.Tests.Generator;

public class AnalyzerTests
{
    // The runtime's trainer is being written in parallel; the analyzer matches it by metadata name only.
    private const string TrainerStub = """
        namespace CompiledNets.Training
        {
            public sealed class Trainer<T> where T : CompiledNets.ITrainableNetwork
            {
                public Trainer(T network) { }
            }
        }
        """;

    [Fact]
    public void WarnsWhereAZeroGradientNetworkIsTrained()
    {
        string source = """
            using CompiledNets;
            using CompiledNets.Training;
            namespace Samples;
            [Network(Input = 2)] [Dense(3, Activation.Step)] [Dense(1)] public partial class Perceptron;
            public static class Program
            {
                public static void Train() { var trainer = new Trainer<Perceptron>(new Perceptron(1)); }
            }
            """;
        GeneratorOutcome outcome = GeneratorHarness.Run(source, TrainerStub);
        Assert.Empty(outcome.CompilationErrors);

        Diagnostic warning = Assert.Single(GeneratorHarness.RunAnalyzer(outcome.Compilation));
        Assert.Equal("CN0017", warning.Id);
        Assert.Equal(DiagnosticSeverity.Warning, warning.Severity);
        Assert.Equal("new Trainer<Perceptron>(new Perceptron(1))", warning.Location.SourceTree!.GetText().ToString(warning.Location.SourceSpan));
        Assert.Contains("'Perceptron' uses Step", warning.GetMessage());
    }

    [Fact]
    public void TrainableNetworkAndMissingTrainerAreSilent()
    {
        string source = """
            using CompiledNets;
            using CompiledNets.Training;
            namespace Samples;
            [Network(Input = 2)] [Dense(3, Activation.Relu)] [Dense(1)] public partial class Fine;
            public static class Program
            {
                public static void Train() { Trainer<Fine> trainer = new(new Fine(1)); }
            }
            """;
        GeneratorOutcome withTrainer = GeneratorHarness.Run(source, TrainerStub);
        Assert.Empty(withTrainer.CompilationErrors);
        Assert.Empty(GeneratorHarness.RunAnalyzer(withTrainer.Compilation));

        GeneratorOutcome withoutTrainer = GeneratorHarness.Run("using CompiledNets;\n[Network(Input = 2)] [Dense(1, Activation.Sign)] public partial class Alone;\n");
        Assert.Empty(GeneratorHarness.RunAnalyzer(withoutTrainer.Compilation));
    }

    [Fact]
    public void AConvolutionsKernelSizeIsNotReadAsItsActivation()
    {
        // Conv2D(filters, kernel, activation): kernel 1 and 2 are the values of Step and Sign; the README's AlphaGo
        // network (1x1 convolutions) was reported as "uses Step" and could not be trained with warnings as errors.
        string source = """
            using CompiledNets;
            using CompiledNets.Training;
            namespace Samples;
            [Network(Shape = new[] { 2, 5, 5 })] [Conv2D(4, 1, Activation.Relu)] [Conv2D(3, 2)] [Flatten] [Output(2)]
            public partial class Pointwise;
            [Network(Shape = new[] { 2, 5, 5 })] [Conv2D(4, 3, Activation.Sign)] [Flatten] [Output(2)]
            public partial class SignConv;
            [Network(Shape = new[] { 1, 4, 4 })] [PositionBias(Activation.Step)] [Flatten] [Output(2)]
            public partial class StepBias;
            public static class Program
            {
                public static void Train()
                {
                    _ = new Trainer<Pointwise>(new Pointwise(1));
                    _ = new Trainer<SignConv>(new SignConv(1));
                    _ = new Trainer<StepBias>(new StepBias(1));
                }
            }
            """;
        GeneratorOutcome outcome = GeneratorHarness.Run(source, TrainerStub);
        Assert.Empty(outcome.CompilationErrors);

        Diagnostic[] warnings = GeneratorHarness.RunAnalyzer(outcome.Compilation).OrderBy(d => d.Location.SourceSpan.Start).ToArray();
        Assert.Equal(2, warnings.Length);
        Assert.Contains("'SignConv' uses Sign", warnings[0].GetMessage());
        Assert.Contains("'StepBias' uses Step", warnings[1].GetMessage());
    }
}
