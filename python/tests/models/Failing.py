class Failing:
    def predict(self, X, names):
        raise RuntimeError("the model is broken")

    def route(self, X, names):
        return "left"
