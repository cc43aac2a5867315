import json
from datetime import datetime
import random

def lambda_handler(event, context):
    """
    Traite les données validées.
    """
    print(f"ProcessData - Event reçu: {json.dumps(event)}")
    
    # Récupérer les données de l'étape précédente
    data = event.get('data', event)
    
    # Simuler un traitement
    processed_data = {
        'orderId': f"ORD-{random.randint(10000, 99999)}",
        'customer': data.get('name'),
        'email': data.get('email'),
        'amount': data.get('amount'),
        'tax': round(data.get('amount', 0) * 0.20, 2),
        'total': round(data.get('amount', 0) * 1.20, 2),
        'processedAt': datetime.utcnow().isoformat(),
        'status': 'PROCESSED'
    }
    
    return {
        'statusCode': 200,
        'isProcessed': True,
        'message': 'Traitement terminé',
        'result': processed_data
    }
