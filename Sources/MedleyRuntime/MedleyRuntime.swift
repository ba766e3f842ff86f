import MedleyCore
