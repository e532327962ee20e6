"""Trains a scikit-learn classifier on the iris data set that ships with scikit-learn and dumps it with
joblib, as seed 002 does for its KMeans model. Usage: python train_iris.py <output.joblib>"""
import sys

from joblib import dump
from sklearn.datasets import load_iris
from sklearn.linear_model import LogisticRegression


def main(path):
    iris = load_iris()
    model = LogisticRegression(max_iter=1000).fit(iris.data, iris.target)
    dump(model, path)
    print(f"trained on {len(iris.target)} samples, accuracy {model.score(iris.data, iris.target):.3f}: {path}")


if __name__ == "__main__":
    main(sys.argv[1])
