namespace CompiledNets.Data;

/// <summary>
/// Fashion-MNIST (Zalando): 28x28 grey-scale images of clothing in 10 classes, 60,000 for training and
/// 10,000 for testing, in the IDX format (see <see cref="IdxReader"/>).
/// </summary>
public static class FashionMnist
{
    /// <summary>Where the Debian package <c>dataset-fashion-mnist</c> installs the files.</summary>
    public const string DefaultDirectory = "/usr/share/datasets/fashion-mnist";

    /// <summary>Number of classes.</summary>
    public const int ClassCount = 10;

    /// <summary>Pixels per image (28 x 28), the feature count of the loaded datasets.</summary>
    public const int FeatureCount = 28 * 28;

    /// <summary>The class names, indexed by label.</summary>
    public static IReadOnlyList<string> ClassNames { get; } =
        ["T-shirt/top", "Trouser", "Pullover", "Dress", "Coat", "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot"];

    /// <summary>
    /// Loads the training and test sets from <paramref name="directory"/>, which holds
    /// <c>{train,t10k}-{images-idx3,labels-idx1}-ubyte</c>, each gzip-compressed (<c>.gz</c>) or plain.
    /// Pixels are scaled to [0, 1].
    /// </summary>
    /// <param name="directory">The folder with the four files.</param>
    /// <param name="maxTrainSamples">Keep only the first this many training samples.</param>
    /// <param name="maxTestSamples">Keep only the first this many test samples.</param>
    /// <exception cref="FileNotFoundException">A file is missing; the message says how to install the dataset.</exception>
    /// <exception cref="InvalidDataException">A file is corrupt or truncated.</exception>
    public static (Dataset Train, Dataset Test) Load(
        string directory = DefaultDirectory, int maxTrainSamples = int.MaxValue, int maxTestSamples = int.MaxValue)
    {
        ArgumentException.ThrowIfNullOrEmpty(directory);
        Dataset train = IdxReader.LoadDataset(
            Find(directory, "train-images-idx3-ubyte"), Find(directory, "train-labels-idx1-ubyte"), ClassCount, maxTrainSamples);
        Dataset test = IdxReader.LoadDataset(
            Find(directory, "t10k-images-idx3-ubyte"), Find(directory, "t10k-labels-idx1-ubyte"), ClassCount, maxTestSamples);
        return (train, test);
    }

    private static string Find(string directory, string name)
    {
        string gzip = Path.Combine(directory, name + ".gz");
        if (File.Exists(gzip)) return gzip;
        string plain = Path.Combine(directory, name);
        if (File.Exists(plain)) return plain;
        throw new FileNotFoundException(
            $"Fashion-MNIST file '{gzip}' (or '{plain}') not found. Install the dataset with " +
            "'apt-get update && apt-get install -y dataset-fashion-mnist' (it goes to " + DefaultDirectory +
            "), or download the four IDX files from https://github.com/zalandoresearch/fashion-mnist into '" + directory + "'.",
            gzip);
    }
}
